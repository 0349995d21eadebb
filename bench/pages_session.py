"""A signed-in visitor for the page benchmark: a user in the throwaway database and the Cookie header of a session.

Signed-in visitors bypass the whole-page cache (config/page_cache.py), so their requests measure what a view does
on every request: the page's data from the cache (indicators/cache_keys.py) and the template rendered. Run by
bench/pages.py with the server's own environment (the same SECRET_KEY and database).
"""

import json

import django


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench-reader")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    print(json.dumps({"cookie": cookie}))


if __name__ == "__main__":
    main()
