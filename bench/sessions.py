"""Logged-in sessions for the load test, made directly in the database, so a run measures the
pages and the API rather than 50 password hashes at once (the log-in itself is measured
separately: bench/README.md).

    eval "$(.venv/bin/mch demo_env)"       # the demo's settings (or your server's)
    .venv/bin/python bench/sessions.py -n 50 -o bench/out/sessions.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from mch.accounts.models import User  # noqa: E402

USERNAMES = (
    "tram.bacai",
    "tram.phanrang",
    "sokhanhhoa",
    "benhvien.khanhhoa",
    "lanhdao.khanhhoa",
    "taichinh.bacgiang",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=50, help="sessions per user")
    parser.add_argument("-o", type=Path, default=Path("bench/out/sessions.json"))
    args = parser.parse_args()
    sessions: dict[str, list[str]] = {}
    for user in User.objects.filter(username__in=USERNAMES):
        keys = []
        for _ in range(args.n):
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            keys.append(store.session_key)
        sessions[user.username] = keys
    args.o.parent.mkdir(parents=True, exist_ok=True)
    args.o.write_text(json.dumps(sessions))
    print(f"{sum(map(len, sessions.values()))} sessions for {len(sessions)} users -> {args.o}")


if __name__ == "__main__":
    main()
