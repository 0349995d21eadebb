"""Headers WhiteNoise adds to static files, which it answers before any Django middleware runs."""

from csp.utils import build_policy


def add_static_headers(headers, path: str, url: str) -> None:
    """The site's Content-Security-Policy, built from the same CONTENT_SECURITY_POLICY setting as the pages'."""
    headers["Content-Security-Policy"] = build_policy()
