"""The real worker (`mch worker`), with the import's first insert made to hang inside its
transaction, so a test can kill the process mid-write. Run as
``python -m mch.registers.tests.slow_worker MARKER``: MARKER is written once rows are in."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from mch.registers.bundle import fastinsert

    marker = Path(sys.argv[1])
    insert = fastinsert.insert

    def hanging(model, records, **options):  # type: ignore[no-untyped-def]
        insert(model, records, **options)
        marker.write_text(f"{model._meta.label} {len(records)}")
        time.sleep(600)  # killed here, the transaction open

    fastinsert.insert = hanging
    call_command("worker", interval=0.2, verbosity=0)


if __name__ == "__main__":
    main()
