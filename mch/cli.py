"""The `mch` console command: the system's own operations, same as the management commands.

mch start [--port 8000]   set up (migrate, reference data, plans, demo users) and serve
mch setup                 set up only
mch <management command> [args]   any Django management command (load_units, import_plan, …)
"""

from __future__ import annotations

import os
import sys


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    from django.core.management import call_command, execute_from_command_line

    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    if args[0] in {"setup", "start"}:
        _django()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("setup_demo")
        if args[0] == "setup":
            return
        port = args[args.index("--port") + 1] if "--port" in args else "8000"
        print()
        print(f"Hệ thống đang chạy tại  http://127.0.0.1:{port}/")
        print("Đăng nhập minh họa:     sokhanhhoa / demo-MCH-2026  (cán bộ Sở Y tế Khánh Hòa)")
        print("                        tram.phanrang / demo-MCH-2026  (trạm y tế phường Phan Rang)")
        print("Dừng: Ctrl+C")
        execute_from_command_line(["mch", "runserver", f"127.0.0.1:{port}", "--noreload"])
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    execute_from_command_line(["mch", *args])


if __name__ == "__main__":
    main()
