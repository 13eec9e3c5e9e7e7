"""Loaded by pytest before pytest-django (`-p mch.core.testenv`): the settings demand a
secret key outside debug mode, and tests run with production-like settings."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("MCH_STATIC_FROM_FINDERS", "1")
os.environ.setdefault("DJANGO_STATIC_ROOT", tempfile.mkdtemp(prefix="mch-static-"))
