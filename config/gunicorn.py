"""Gunicorn settings for the web process (`mch serve`, `mch start`, the systemd unit).

Read by ``gunicorn -c python:config.gunicorn config.wsgi``. Every value comes from the
environment (listed in `.env.example`); the defaults suit one server of a provincial health
department behind nginx on the same machine (docs/deployment.md).
"""

from __future__ import annotations

import os

WORKERS_CAP = 9


def workers_for(cores: int, cap: int = WORKERS_CAP) -> int:
    """Gunicorn's rule of thumb, 2 x cores + 1 sync workers, capped: past that a request waits on
    the database, not on a worker, and each worker holds its own memory (about 100 MB)."""
    return max(1, min(2 * cores + 1, cap))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


bind = [os.environ.get("MCH_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("MCH_WEB_WORKERS") or workers_for(_cores()))
# Exports of a province's registers take a while; anything longer runs as a job, not here.
timeout = int(os.environ.get("MCH_WEB_TIMEOUT", "120"))
graceful_timeout = 30
# A worker is replaced after this many requests, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# "-" writes one line per request to standard output (journald); empty turns it off.
accesslog = os.environ.get("MCH_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("MCH_LOG_LEVEL", "WARNING").lower()
# X-Forwarded-Proto is trusted only from the reverse proxy on this machine.
forwarded_allow_ips = os.environ.get("MCH_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "mch-web"
