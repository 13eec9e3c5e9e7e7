"""Register bundle import benchmark: records per second with full validation.

Writes a bundle with the synthetic register generator (``mch.registers.synthetic``: a
synthetic province of 200 communes, every record type with references between files),
imports it into an empty register, imports it again (every row unchanged), and imports a
smaller bundle as one XLSX workbook. Run on a fresh database:

    DJANGO_DEBUG=1 MCH_VAR_DIR=$(mktemp -d) .venv/bin/python bench/registers_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mch_bench .venv/bin/python bench/registers_import.py

Prints wall-clock rows per second, and rows per second of CPU used by the import (this
process, plus the PostgreSQL backend serving it): the fair figure on a machine shared with
other work, where wall-clock time also counts waiting for the other work; the peak
resident memory of this process after each import (``getrusage``, the figure
``/usr/bin/time -v`` calls "Maximum resident set size") and the load average around it.
``--only-first`` stops after the first import (a big province: 50,000 or 250,000 births
with ``--births 5000 --years 10`` or ``--births 25000 --years 10``).

Options: --births N a year (default 1000: about 100,000 rows over --years 3), --seed N,
--keep DIR (keep the bundle), --simple (this script's own small generator: --women N).
The PostgreSQL database is created when missing and emptied of register rows first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

TODAY = dt.date(2026, 11, 20)
FIRST_NAMES = ["Lan", "Hoa", "Mai", "Hương", "Thảo", "Linh", "Trang", "Ngọc", "H'Nhi", "Y Bhiă"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Mlô"]
SCHEDULE = [("bcg", 1, 0), ("opv", 1, 61), ("opv", 2, 92), ("opv", 3, 122), ("measles", 1, 275)]


def _province(communes: int):  # noqa: ANN202
    from mch.core.testing import make_unit
    from mch.orgunits.models import Facility, OrgUnit, UnitAttribute

    found = OrgUnit.objects.filter(code="BENCH", level="province").first()
    if found is not None:
        return list(OrgUnit.objects.filter(parent=found).order_by("code"))
    province = make_unit(code="BENCH", name="Tỉnh Thử", level="province")
    units = []
    for index in range(communes):
        unit = make_unit(
            code=f"9{index:04d}",
            name=f"Xã Thử {index}",
            level="commune",
            parent=province,
            valid_from=dt.date(2025, 7, 1),
        )
        old = make_unit(
            code=f"9{index:04d}",
            name=f"Xã Cũ {index}",
            level="commune",
            parent=province,
            valid_to=dt.date(2025, 6, 30),
        )
        if index % 3 == 0:
            UnitAttribute.objects.create(unit=unit, key="zone", value="III")
            UnitAttribute.objects.create(unit=old, key="ethnic_minority_area", value="true")
        Facility.objects.create(
            code=f"TYT-9{index:04d}",
            name=f"Trạm Y tế xã Thử {index}",
            kind="commune_health_station",
            care_level="commune",
            unit=unit,
            provides_delivery=True,
        )
        units.append(unit)
    return units


def _bundle(folder: Path, women: int, communes: int, seed: int) -> int:
    """A bundle of CSV files as a commune would export them; returns the number of rows."""
    from mch.registers.tests.bundle_helpers import csv_text

    rng = random.Random(seed)
    files: dict[str, list[dict[str, object]]] = {
        key: []
        for key in (
            "nguoi",
            "thai_ky",
            "kham_thai",
            "de",
            "tre_sinh",
            "cham_soc_sau_sinh",
            "kham_dinh_ky",
            "can_do",
            "tiem_chung",
            "benh_tai_nan",
            "tu_vong",
        )
    }
    for w in range(women):
        commune = f"9{rng.randrange(communes):04d}"
        mother = f"W{w}"
        born = dt.date(1985, 1, 1) + dt.timedelta(days=rng.randrange(6000))
        files["nguoi"].append(
            {
                "ma": mother,
                "ho_ten": f"{rng.choice(FAMILY)} Thị {rng.choice(FIRST_NAMES)}",
                "gioi_tinh": "Nữ",
                "ngay_sinh": f"{born:%d/%m/%Y}",
                "dan_toc": rng.choice(["Kinh", "Ê Đê", "01", "Mông"]),
                "ma_xa": commune,
                "thon": f"Thôn {rng.randrange(1, 12)}",
                "ngay_dang_ky": "01/08/2025",
            }
        )
        lmp = dt.date(2024, 9, 1) + dt.timedelta(days=rng.randrange(400))
        delivered = lmp + dt.timedelta(days=rng.randrange(259, 290))
        pregnancy = f"P{w}"
        files["thai_ky"].append(
            {
                "ma": pregnancy,
                "ma_nguoi": mother,
                "ngay": f"{lmp + dt.timedelta(days=50):%d/%m/%Y}",
                "ngay_kinh_cuoi": f"{lmp:%d/%m/%Y}",
                "so_lan_co_thai": rng.randrange(1, 5),
                "yeu_to_nguy_co": rng.choice(["", "Thiếu máu", "anaemia; hypertension"]),
            }
        )
        for v in range(4):
            day = lmp + dt.timedelta(days=50 + v * 55)
            files["kham_thai"].append(
                {
                    "ma": f"V{w}-{v}",
                    "ma_nguoi": mother,
                    "ngay": f"{day:%d/%m/%Y}",
                    "ma_thai_ky": pregnancy,
                    "can_nang_kg": f"{rng.uniform(45, 70):.1f}".replace(".", ","),
                    "huyet_ap_tam_thu": rng.randrange(95, 135),
                    "vien_sat": 30,
                    "xn_hiv": rng.choice(["Âm tính", "", "negative"]),
                }
            )
        if delivered > TODAY:
            continue
        delivery = f"D{w}"
        files["de"].append(
            {
                "ma": delivery,
                "ma_nguoi": mother,
                "ngay": f"{delivered:%d/%m/%Y}",
                "ma_thai_ky": pregnancy,
                "noi_de": "Tại cơ sở y tế",
                "nguoi_do": rng.choice(["Hộ sinh", "Bác sĩ", "Y sĩ"]),
                "ma_co_so": f"TYT-{commune}",
            }
        )
        child = f"C{w}"
        sex = rng.choice(["Nam", "Nữ"])
        files["nguoi"].append(
            {
                "ma": child,
                "ho_ten": f"{rng.choice(FAMILY)} Văn {rng.choice(FIRST_NAMES)}",
                "gioi_tinh": sex,
                "ngay_sinh": f"{delivered:%d/%m/%Y}",
                "ma_xa": commune,
                "ma_me": mother,
                "ngay_dang_ky": f"{max(delivered, dt.date(2025, 7, 1)):%d/%m/%Y}",
            }
        )
        files["tre_sinh"].append(
            {
                "ma": f"B{w}",
                "ma_de": delivery,
                "ma_nguoi": child,
                "ket_qua": "Đẻ sống",
                "gioi_tinh": sex,
                "can_nang_g": rng.randrange(2200, 4200),
                "bu_me_trong_1_gio": rng.choice(["có", "không", "x"]),
            }
        )
        for n, (who, subject) in enumerate(((mother, "Mẹ"), (child, "Trẻ sơ sinh"))):
            files["cham_soc_sau_sinh"].append(
                {
                    "ma": f"S{w}-{n}",
                    "ma_nguoi": who,
                    "ngay": f"{delivered + dt.timedelta(days=3):%d/%m/%Y}",
                    "ma_de": delivery,
                    "doi_tuong": subject,
                    "noi_cham_soc": "Tại nhà",
                }
            )
        for m in range(0, 16, 2):
            day = delivered + dt.timedelta(days=30 * m + 1)
            if day > TODAY:
                break
            files["can_do"].append(
                {
                    "ma": f"G{w}-{m}",
                    "ma_nguoi": child,
                    "ngay": f"{day:%d/%m/%Y}",
                    "can_nang_kg": f"{3.2 + 0.55 * m + rng.uniform(-0.8, 0.8):.1f}".replace(
                        ".", ","
                    ),
                    "chieu_cao_cm": f"{50 + 2.2 * m + rng.uniform(-3, 3):.1f}".replace(".", ","),
                    "tu_the_do": "Nằm",
                }
            )
            if m % 6 == 0:
                files["kham_dinh_ky"].append(
                    {
                        "ma": f"K{w}-{m}",
                        "ma_nguoi": child,
                        "ngay": f"{day:%d/%m/%Y}",
                        "vitamin_a": "x",
                    }
                )
        for antigen, dose, age in SCHEDULE:
            day = delivered + dt.timedelta(days=age + rng.randrange(0, 10))
            if day <= TODAY:
                files["tiem_chung"].append(
                    {
                        "ma": f"I{w}-{antigen}{dose}",
                        "ma_nguoi": child,
                        "ngay": f"{day:%d/%m/%Y}",
                        "vac_xin": antigen,
                        "mui": dose,
                    }
                )
        if rng.random() < 0.05:
            files["benh_tai_nan"].append(
                {
                    "ma": f"L{w}",
                    "ma_nguoi": child,
                    "ngay": f"{delivered + dt.timedelta(days=40):%d/%m/%Y}",
                    "loai": "Viêm phổi",
                    "khang_sinh": "có",
                }
            )
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        if rows:
            (folder / f"{name}.csv").write_text(csv_text(rows), encoding="utf-8-sig")
    return sum(len(rows) for rows in files.values())


def _synthetic(folder: Path, births: int, years: int, seed: int) -> int:
    """A synthetic province's registers (no data-entry errors), as the generator writes them."""
    from mch.registers.synthetic.generate import Options
    from mch.registers.synthetic.services import synthetic_generate

    options = Options(
        as_of=TODAY,
        births_per_year=births,
        years=years,
        end_year=TODAY.year,
        seed=seed,
        error_rate=0.0,
        id_prefix=f"B{seed}",
    )
    synthetic_generate(directory=folder, options=options, synthetic=57, communes=200)
    return sum(sum(1 for _ in path.open(encoding="utf-8-sig")) - 1 for path in folder.glob("*.csv"))


def _xlsx(folder: Path, target: Path) -> int:
    """A bundle of CSV files as one workbook (one sheet per file)."""
    import csv

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    count = 0
    for path in sorted(folder.glob("*.csv")):
        sheet = book.create_sheet(path.stem)
        with path.open(encoding="utf-8-sig") as handle:
            for index, row in enumerate(csv.reader(handle)):
                sheet.append(row)
                count += index > 0
    book.save(target)
    return count


def _server_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _empty_registers() -> None:
    from mch.registers.bundle.checks import MODELS
    from mch.registers.models import AuditEntry, ImportBatch, Residence

    with connection.cursor():
        for model in reversed(list(MODELS.values())):
            if model.__name__ == "Person":
                Residence.objects.all().delete()
                model.objects.update(mother=None)
            model.objects.all().delete()
        AuditEntry.objects.all().delete()
        ImportBatch.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--births", type=int, default=1000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--simple", action="store_true")
    parser.add_argument("--women", type=int, default=4200)
    parser.add_argument("--communes", type=int, default=120)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--only-first", action="store_true")
    options = parser.parse_args()

    from mch.registers.bundle.importer import bundle_import

    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    try:
        from mch.immunisation.services import schedule_load

        schedule_load()
    except ImportError:
        pass
    _empty_registers()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="mch-bundle-"))
    start = time.perf_counter()
    if options.simple:
        _province(options.communes)

        def write(target: Path, scale: float, seed: int) -> int:
            return _bundle(target, int(options.women * scale), options.communes, seed)
    else:

        def write(target: Path, scale: float, seed: int) -> int:
            return _synthetic(target, int(options.births * scale), options.years, seed)

    rows = write(folder, 1, options.seed)
    print(f"bundle written: {rows:,} rows in {time.perf_counter() - start:.1f} s ({folder})")

    def run(label: str, source: Path, expect: str) -> None:
        load = os.getloadavg()[0]
        server = _server_cpu()
        start, cpu = time.perf_counter(), time.process_time()
        result = bundle_import(source=source, user=None, today=TODAY)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        server = _server_cpu() - server
        total = result.rows_total
        where = f" + server {server:.2f} s" if server else ""
        print(
            f"{label:<44} {total:>8,} rows {seconds:7.2f} s {total / seconds:>8,.0f} rows/s"
            f"  (CPU: import {cpu:.2f} s{where} = {total / (cpu + server):,.0f} rows/s)"
            f"   [{result.summary()}]"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{'':<44} peak RSS so far {peak:,.0f} MB; load average {load:.2f} before, "
            f"{os.getloadavg()[0]:.2f} after (1 min)"
        )
        if result.errors:
            for error in result.errors[:5]:
                print("   ", error)
        assert result.count(expect) == total, expect

    run("first import (CSV, all new)", folder, "created")
    if options.only_first:
        return
    run("same bundle again (all unchanged)", folder, "unchanged")
    _empty_registers()
    small = folder / "small"
    write(small, 1 / 6, options.seed + 1)
    workbook = folder / "bundle.xlsx"
    _xlsx(small, workbook)
    run("XLSX workbook (one sheet per file, all new)", workbook, "created")


if __name__ == "__main__":
    main()
