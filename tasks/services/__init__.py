"""Writes to the policy domain."""
