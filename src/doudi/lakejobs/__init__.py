"""Batch programmes over a lake export that read more than one domain (issue #24).

The lake's export and the plan's and settlement's runs on it live in ``plan``; the
information comparison over it needs both the plan's reading of an export
(``plan.lake_inputs``) and the comparison, two domains the layering keeps apart, so it
lives here, above both (docs/architecture.md).
"""
