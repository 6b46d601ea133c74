"""Policy as code: clause registry, dated parameters, jurisdictions, rules.

Pure: no database, no web, no files but its own parameter and clause data.
"""
