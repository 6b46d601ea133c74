"""The pages, one module per area; every view asks roles.scope_of first."""
