"""The `mch` console command: the system's own operations, same as the management commands.

mch start [--port 8000]   the demo: set up (migrate, static files, reference data, plans, demo
                          users) and serve with gunicorn, debug off, on http://127.0.0.1 only
mch setup                 set up only
mch worker                run queued jobs (register imports, …); scripts/start.sh starts it
mch jobs [ID] [--follow]  the jobs and their progress
mch serve                 serve with gunicorn (config/gunicorn.py: MCH_BIND, MCH_WEB_WORKERS)
mch demo_env              print the demo's environment as shell `export` lines
mch <management command> [args]   any Django management command (load_units, import_plan, …)
"""

from __future__ import annotations

import os
import secrets
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _demo_secret_key() -> str:
    var_dir = Path(os.environ.get("MCH_VAR_DIR") or ROOT / "var")
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def demo_environment(port: str = "8000") -> dict[str, str]:
    """The demo's settings: debug off as in production, a secret key made once and kept in
    var/ (never committed), local addresses only, and plain HTTP since the demo has no
    certificate (MCH_PLAIN_HTTP, config/settings.py). What the environment already sets wins."""
    env = {
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MCH_PLAIN_HTTP": "1",
        "MCH_BIND": f"127.0.0.1:{port}",
        "MCH_ACCESS_LOG": "",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or _demo_secret_key(),
    }
    return {key: os.environ.get(key) or value for key, value in env.items()}


def serve() -> None:
    """Replace this process with gunicorn, so signals from systemd or Ctrl+C reach it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    command = [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn", "config.wsgi"]
    os.execv(sys.executable, command)  # noqa: S606


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    from django.core.management import call_command, execute_from_command_line

    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    port = args[args.index("--port") + 1] if "--port" in args else "8000"
    if args[0] == "demo_env":
        for key, value in demo_environment(port).items():
            print(f"export {key}={shlex.quote(value)}")
        return
    if args[0] == "serve":
        serve()
        return
    if args[0] in {"setup", "start"}:
        os.environ.update(demo_environment(port))
        _django()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("migrate", database="jobs", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("setup_demo")
        if args[0] == "setup":
            return
        print()
        print(f"Hệ thống đang chạy tại  http://127.0.0.1:{port}/")
        print("Đăng nhập minh họa:     sokhanhhoa / demo-MCH-2026  (cán bộ Sở Y tế Khánh Hòa)")
        print("                        tram.phanrang / demo-MCH-2026  (trạm y tế phường Phan Rang)")
        print("Dừng: Ctrl+C")
        sys.stdout.flush()
        serve()
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    execute_from_command_line(["mch", *args])


if __name__ == "__main__":
    main()
