"""The system of record (Django app ``registry``): people, status periods,
enrollments, contributions, imports and the audit log. Models and migrations
only; what caseworkers do with them lives in the domain packages
(docs/architecture.md). Table names are fixed (docs/registry.md) so the engine and the
jobs read them as plain tables.
"""
