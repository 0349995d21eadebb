"""Workflows of the analyst workspace that span a request: the upload's check, keep and confirm."""
