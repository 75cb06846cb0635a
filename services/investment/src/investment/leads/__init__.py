"""Leads: a possible deal between a Korean and a Japanese party, its stage, status and history."""
