"""Pure B2B meeting scheduling (issue 9): instance and result formats, checker, greedy and exact solvers.

No I/O, no database, nothing from the other meetings packages: the service translates its tables into an
`Instance` and a `Result` back into bookings. See README.md in this folder for the formats and the rules.
"""
