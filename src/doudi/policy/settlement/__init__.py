"""One-stop hospital-bill settlement (一站式结算): the payer waterfall, RULES.md §3.2.

A bill passes basic medical insurance → critical-illness insurance →
supplementary insurance → tilt payment → medical assistance → the patient
(the order PZH-2018-195/2.2 states). Deductibles and caps accumulate per person
over the calendar year in order of discharge date, computed with window
functions so one bill, one person's year and a province's year are the same
query.
"""
