"""Rule functions: each takes a table of people and returns it with new columns.

Input tables (built by the engine from a scenario or from the registry):

``people``: one row per person-row of the batch (``row_no`` is the key; the
same ``id_number`` may appear twice, which the once-per-year rule catches),
with ``id_number``, ``birth_date``, ``hukou_region``, ``student``,
``employee_pension`` and the program facts described in docs/scenario.md.

``statuses``: ``row_no``, ``status``, ``valid_from``, ``valid_to`` (exclusive,
null = open), ``exit_date`` (registered poor marked out of poverty).
"""
