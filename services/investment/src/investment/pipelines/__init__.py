"""Pipelines: the ordered stages of each deal type, their default probabilities and the moves allowed."""
