"""The caseworker's web application (issue #6): Django, server-rendered, htmx, ECharts.

Roles and the region scope (roles.py) decide what every view and API endpoint may
read; the pages call the same domain jobs as the command line, never a copy.
"""
