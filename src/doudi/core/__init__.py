"""Core value types shared by every layer: money, ID numbers, regions, dates."""
