"""Runs policy over tables: scenario evaluation (one person) and batch (many)."""
