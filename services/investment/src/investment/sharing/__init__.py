"""Sharing: which other partner organisations may read or edit a lead."""
