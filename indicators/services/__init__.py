"""Writes to indicators and their figures: analyst entries, uploads, reverts, disagreement resolutions."""
