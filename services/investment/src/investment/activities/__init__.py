"""Activities: the timeline of a lead (notes, calls, e-mails, meetings, tasks)."""
