"""Worklist benchmark: a commune with 5,000 children under 6, then each worklist page.

Builds (once; a later run on the same database reuses it) a commune "Xã Đo Thử" with
5,000 children under 6 and their mothers in 12 villages, the children's doses (about 93%
of doses given on time or a little late), growth measurements (about 1 in 5 children
stunted or wasted at the last one), 150 open pregnancies with visits, the deliveries of
the last 10 days with postnatal visits, and a few possible maternal deaths. Rows go in
with ``bulk_create``. Then it times, through the Django test client as the commune's
staff, the overview, each list page, the print page and the exports (median of 10), and
the selector alone for the immunisation list, and the person page of the busiest mother
and child.

    MCH_VAR_DIR=$(mktemp -d) .venv/bin/python bench/worklist.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mch_bench_worklist .venv/bin/python bench/worklist.py

The PostgreSQL database is created when it does not exist.

Province mode: the province view by commune (``worklist_summary``, the overview page of a
province officer) on the database already set up, the generated demo province by default
(``mch setup``: Khánh Hòa and its communes), as ``sokhanhhoa``::

    source <demo env>; .venv/bin/python bench/worklist.py --province [--user sokhanhhoa]

It times each list counted for the whole province, ``worklist_summary`` alone and
``GET /so/viec-can-lam/`` (median of 10), and prints the number of communes and rows.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")

AS_OF = dt.date(2026, 11, 20)
CHILDREN = 5000
VILLAGES = [f"Thôn {n}" for n in range(1, 13)]
COMMUNE_CODE = "99901"
USERNAME = "bench.worklist"
REPEAT = 10


def _create_postgres_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


_create_postgres_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402


def timed(label: str, func: Callable[[], object], repeat: int = REPEAT) -> float:
    """Median wall time; also the median CPU time of this process, which a busy shared
    machine disturbs less (on PostgreSQL it leaves out the server's work)."""
    runs, cpu = [], []
    for _ in range(repeat):
        reset_queries()
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    median = statistics.median(runs) * 1000
    queries = len(connection.queries)
    print(
        f"{label:<52} {median:8.1f} ms  cpu {statistics.median(cpu) * 1000:7.1f} ms"
        f"  ({queries} queries)"
    )
    return median


def build() -> None:  # noqa: PLR0915 - one linear recipe reads best in one place
    """The bench commune and its people, written with bulk_create."""
    from mch.accounts.models import Role
    from mch.accounts.services import user_create
    from mch.core.testing import make_unit
    from mch.core.text import name_key
    from mch.immunisation.selectors import schedule_rules
    from mch.immunisation.services import schedule_load
    from mch.orgunits.models import OrgUnit
    from mch.registers.models import (
        AntenatalVisit,
        Birth,
        Death,
        Delivery,
        GrowthMeasurement,
        Immunisation,
        Person,
        PostnatalContact,
        Pregnancy,
    )

    schedule_load()
    random.seed(20261120)
    country = OrgUnit.objects.filter(level="country").first() or make_unit(
        code="VN", name="Việt Nam", level="country"
    )
    province = make_unit(code="999", name="Tỉnh Đo Thử", level="province", parent=country)
    commune = make_unit(code=COMMUNE_CODE, name="Xã Đo Thử", level="commune", parent=province)
    user_create(
        username=USERNAME,
        password="Bench-worklist-2026!",  # noqa: S106 - a throw-away bench database
        role=Role.COMMUNE_STAFF,
        units=[commune],
        full_name="Trạm Đo Thử",
        validate=False,
    )
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vi", "Lò", "Hà", "Đinh", "Lục"]
    middle = ["Thị", "Văn", "Đức", "Minh", "Ngọc"]
    given = ["An", "Bình", "Chi", "Dung", "Hoa", "Lan", "Mai", "Nam", "Tú", "Vy", "Yến", "Khoa"]

    def name(sex: str) -> str:
        mid = "Thị" if sex == "F" else random.choice(middle[1:])
        return f"{random.choice(family)} {mid} {random.choice(given)}"

    def person(full_name: str, sex: str, birth: dt.date, village: str, **extra: object) -> Person:
        return Person(
            full_name=full_name,
            name_key=name_key(full_name),
            sex=sex,
            birth_date=birth,
            residence_unit=commune,
            registered_unit=commune,
            village=village,
            source="generator",
            **extra,
        )

    def day(days_ago: int) -> dt.date:
        return AS_OF - dt.timedelta(days=days_ago)

    mothers = Person.objects.bulk_create(
        [
            person(
                name("F"),
                "F",
                day(random.randint(18 * 365, 42 * 365)),
                random.choice(VILLAGES),
                phone=f"09{random.randint(10**7, 10**8 - 1)}",
            )
            for _ in range(3600)
        ],
        batch_size=1000,
    )
    children = []
    for _ in range(CHILDREN):
        mother = random.choice(mothers)
        sex = random.choice("MF")
        children.append(
            person(
                name(sex), sex, day(random.randint(0, 6 * 365 - 2)), mother.village, mother=mother
            )
        )
    children = Person.objects.bulk_create(children, batch_size=1000)

    def event(model: type, who: Person, date: dt.date, **fields: object) -> object:
        return model(person=who, date=date, residence_unit=commune, village=who.village, **fields)

    rules = schedule_rules(on=AS_OF)
    doses = []
    measurements = []
    for child in children:
        assert child.birth_date is not None
        age = (AS_OF - child.birth_date).days
        given_on: dict[tuple[str, int], dt.date] = {}
        for rule in rules:
            if random.random() > 0.93:
                continue
            previous = given_on.get(rule.previous) if rule.previous else None
            if rule.previous and previous is None:
                continue
            earliest = child.birth_date + dt.timedelta(days=rule.due_age_days)
            if previous is not None:
                earliest = max(earliest, previous + dt.timedelta(days=rule.min_interval_days or 0))
            date = earliest + dt.timedelta(days=int(random.expovariate(1 / 12)))
            if date > AS_OF:
                continue
            given_on[rule.key] = date
            doses.append(
                event(
                    Immunisation,
                    child,
                    date,
                    antigen=rule.antigen,
                    dose=rule.dose,
                    is_epi=random.random() > 0.03,
                )
            )
        if age < 5 * 365:
            visits = sorted(random.sample(range(0, age + 1), k=min(age + 1, random.randint(1, 4))))
            for index, at in enumerate(visits):
                last = index == len(visits) - 1
                bad = last and random.random() < 0.2
                measurements.append(
                    event(
                        GrowthMeasurement,
                        child,
                        child.birth_date + dt.timedelta(days=at),
                        age_days=at,
                        weight_kg=3 + at / 200,
                        length_cm=50 + at / 30,
                        stunting=random.choice(["moderate", "severe"]) if bad else "normal",
                        wasting=random.choice(["normal", "moderate"]) if bad else "normal",
                        underweight="normal",
                        haz=-2.6 if bad else 0.1,
                        whz=-1.0 if bad else 0.0,
                    )
                )
    Immunisation.objects.bulk_create(doses, batch_size=2000)
    GrowthMeasurement.objects.bulk_create(measurements, batch_size=2000)

    women = random.sample(mothers, 200)
    pregnancies = []
    for woman in women[:150]:
        lmp = day(random.randint(40, 300))
        registered = lmp + dt.timedelta(days=random.randint(35, 70))
        registered = min(registered, AS_OF)
        pregnancies.append(
            event(Pregnancy, woman, registered, lmp=lmp, edd=lmp + dt.timedelta(days=280))
        )
    pregnancies = Pregnancy.objects.bulk_create(pregnancies)
    visits = []
    for pregnancy in pregnancies:
        at = pregnancy.date
        while at <= AS_OF:
            visits.append(
                AntenatalVisit(
                    person=pregnancy.person,
                    pregnancy=pregnancy,
                    date=at,
                    residence_unit=commune,
                    village=pregnancy.person.village,
                )
            )
            at += dt.timedelta(days=random.randint(25, 60))
    AntenatalVisit.objects.bulk_create(visits)
    for pregnancy in pregnancies:
        mine = [v.date for v in visits if v.pregnancy_id == pregnancy.pk]
        pregnancy.last_anc_date = max(mine)
        pregnancy.anc_visits = len(mine)
    Pregnancy.objects.bulk_update(pregnancies, ["last_anc_date", "anc_visits"])

    deliveries = Delivery.objects.bulk_create(
        [
            event(
                Delivery,
                woman,
                day(random.randint(0, 10)),
                place="facility",
                attendant="midwife",
                live_births=1,
            )
            for woman in women[150:180]
        ]
    )
    babies = Person.objects.bulk_create(
        [person(name("M"), "M", d.date, d.person.village, mother=d.person) for d in deliveries]
    )
    Birth.objects.bulk_create(
        [
            Birth(
                delivery=d,
                mother=d.person,
                person=baby,
                date=d.date,
                residence_unit=commune,
                village=baby.village,
            )
            for d, baby in zip(deliveries, babies, strict=True)
        ]
    )
    contacts = []
    for d, baby in zip(deliveries, babies, strict=True):
        for who, subject in ((d.person, "mother"), (baby, "newborn")):
            if random.random() < 0.5 and d.date < AS_OF:
                contacts.append(
                    event(
                        PostnatalContact,
                        who,
                        d.date + dt.timedelta(days=1),
                        delivery=d,
                        subject=subject,
                        day_after_birth=1,
                        place="home",
                    )
                )
    PostnatalContact.objects.bulk_create(contacts)
    dead = women[180:185]
    Death.objects.bulk_create(
        [
            event(
                Death,
                woman,
                day(n),
                place="home",
                age_group="older",
                pregnancy_relation="pregnant",
                possible_maternal=True,
                review_status="to_notify" if n % 2 else "notified",
            )
            for n, woman in enumerate(dead)
        ]
    )
    Person.objects.filter(pk__in=[w.pk for w in dead]).update(deceased_on=AS_OF)
    print(
        f"built: {len(children)} children, {len(mothers)} women, {len(doses)} doses, "
        f"{len(measurements)} measurements, {len(pregnancies)} pregnancies, "
        f"{len(deliveries)} recent deliveries"
    )


def main() -> None:
    from mch.accounts.models import User
    from mch.orgunits.models import OrgUnit
    from mch.registers import worklists

    print(
        f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f}; median of {REPEAT}"
    )
    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.filter(code=COMMUNE_CODE).exists():
        start = time.perf_counter()
        build()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after the bulk load
        print(f"{'build (bulk_create)':<52} {(time.perf_counter() - start) * 1000:8.1f} ms")
    else:
        print("reusing the bench commune")
    commune = OrgUnit.objects.get(code=COMMUNE_CODE)
    user = User.objects.get(username=USERNAME)
    client = Client()
    client.force_login(user)
    query = f"?on={AS_OF:%d/%m/%Y}"
    for worklist in worklists.worklists():
        rows = worklist.function(user=user, unit=commune, as_of=AS_OF)
        print(f"  {worklist.slug:<12} {len(rows):5d} people")
    timed(
        "selector immunisation_due (5,000 children)",
        lambda: worklists.immunisation_due(user=user, unit=commune, as_of=AS_OF),
    )
    pages = ["/so/viec-can-lam/"] + [f"/so/viec-can-lam/{w.slug}/" for w in worklists.worklists()]
    pages += [
        "/so/viec-can-lam/tiem-chung/in/",
        "/so/viec-can-lam/tiem-chung/xuat.xlsx",
        "/so/viec-can-lam/tiem-chung/xuat.csv",
    ]
    for page in pages:

        def get(page: str = page) -> None:
            response = client.get(page + query)
            assert response.status_code == 200, (page, response.status_code)

        timed(f"GET {page}", get)
    timed(
        "GET /so/viec-can-lam/tiem-chung/ (one village)",
        lambda: client.get(f"/so/viec-can-lam/tiem-chung/{query}&village=Thôn 3"),
    )
    timed(
        "GET /so/viec-can-lam/tiem-chung/in/ (one village)",
        lambda: client.get(f"/so/viec-can-lam/tiem-chung/in/{query}&village=Thôn 3"),
    )
    person_pages(client, commune)


def person_pages(client: Client, commune: object) -> None:
    """The person page (the handbook view) of the commune's busiest mother and child."""
    from django.db.models import Count

    from mch.registers.models import Person

    people = Person.objects.filter(residence_unit=commune)
    mother = (
        people.filter(sex="F", mother__isnull=True)
        .annotate(n=Count("antenatal_visits", distinct=True) + Count("children", distinct=True))
        .order_by("-n")
        .first()
    )
    child = (
        people.filter(mother__isnull=False)
        .annotate(n=Count("immunisations", distinct=True) + Count("measurements", distinct=True))
        .order_by("-n")
        .first()
    )
    for label, person in (("mother", mother), ("child", child)):
        if person is None:
            continue

        def get(pk: int = person.pk) -> None:
            response = client.get(f"/nguoi/{pk}/")
            assert response.status_code == 200, response.status_code

        timed(f"GET /nguoi/<id>/ ({label}, {person.n} records)", get)  # type: ignore[attr-defined]


def province(username: str) -> None:
    """The province officer's view by commune, on the database as it is."""
    from mch.accounts.models import User
    from mch.registers import worklists

    user = User.objects.get(username=username)
    today = dt.date.today()
    areas = worklists.worklist_areas(user=user, as_of=today)
    area = next(a for a in areas if a.level == "province")
    summary = worklists.worklist_summary(user=user, area=area, as_of=today)
    people = {
        slug: sum(c.lists[slug].total for c in summary.communes) for slug in summary.total.lists
    }
    print(
        f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f}; "
        f"median of {REPEAT}; {area.name}: {len(summary.communes)} communes; "
        + ", ".join(f"{slug} {n}" for slug, n in people.items())
    )
    for worklist in worklists.worklists():
        timed(
            f"selector {worklist.slug} (whole province)",
            lambda w=worklist: w.function(user=user, unit=area, as_of=today),
        )
    timed(
        "worklist_summary (every list, by commune)",
        lambda: worklists.worklist_summary(user=user, area=area, as_of=today),
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    def get() -> None:
        response = client.get("/so/viec-can-lam/")
        assert response.status_code == 200, response.status_code
        assert area.name in response.content.decode()

    timed(f"GET /so/viec-can-lam/ as {username}", get)


if __name__ == "__main__":
    if "--province" in sys.argv:
        args = sys.argv[1:]
        name = args[args.index("--user") + 1] if "--user" in args else "sokhanhhoa"
        province(name)
    else:
        main()
