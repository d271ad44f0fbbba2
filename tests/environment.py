"""Test environment, loaded as a pytest plugin before Django reads its settings.

Tests run with production settings (DEBUG off) so that what they check is what
production runs; only what a test machine cannot provide is set here.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789-abcdefghijklmnop")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Playwright drives the browser from its own event loop while the live server's
# database is torn down in the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
