"""Load test: logged-in users of every role on the main pages and the API, for a bounded time.

Not part of the test suite; Locust (MIT) lives in its own virtual environment:

    python3 -m venv /tmp/locust-venv && /tmp/locust-venv/bin/pip install -r bench/requirements.txt
    ./scripts/start.sh &                                    # the demo, served by gunicorn
    /tmp/locust-venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8000 \\
        --headless -u 50 -r 10 -t 60s --csv bench/out/load --only-summary

Users log in through the log-in form (session cookie, CSRF token) like a browser, then each
role does what its people do. Results and how to read them: bench/README.md.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, constant, task

PASSWORD = os.environ.get("MCH_BENCH_PASSWORD", "demo-MCH-2026")
PLAN = os.environ.get("MCH_BENCH_PLAN", "ninh-thuan-ct-2024")
# Seconds a person reads a page before the next click; MCH_BENCH_THINK=0 sends the next
# request at once (each user then behaves like a client in a closed loop, the worst case).
THINK = os.environ.get("MCH_BENCH_THINK", "1-3")
# MCH_BENCH_SESSIONS=bench/out/sessions.json (bench/sessions.py): start logged in, so the run
# measures pages and API; without it every user logs in through the form first.
SESSIONS = os.environ.get("MCH_BENCH_SESSIONS", "")
_SESSION_KEYS = {
    name: itertools.cycle(keys)
    for name, keys in (json.loads(Path(SESSIONS).read_text()) if SESSIONS else {}).items()
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Staff(HttpUser):
    abstract = True
    wait_time = (
        constant(0) if THINK == "0" else between(*(float(part) for part in THINK.split("-")))
    )
    usernames: tuple[str, ...] = ()
    sees_plans = True  # other departments see only their own tasks: the plan is a 404 to them

    def on_start(self) -> None:
        self.username = random.choice(self.usernames)  # noqa: S311
        if self.username in _SESSION_KEYS:
            domain = self.host.split("//", 1)[-1].split(":")[0]
            self.client.cookies.set("sessionid", next(_SESSION_KEYS[self.username]), domain=domain)
            return
        page = self.client.get("/dang-nhap/", name="/dang-nhap/ (form)")
        token = CSRF.search(page.text)
        response = self.client.post(
            "/dang-nhap/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/dang-nhap/"},
            name="/dang-nhap/ (log in)",
        )
        if "sessionid" not in self.client.cookies:
            response.failure(f"log-in failed for {self.username}")

    def page(self, path: str, name: str | None = None) -> None:
        self.client.get(path, name=name or path)

    def api(self, path: str, name: str | None = None) -> None:
        self.client.get(path, name=name or path.split("?")[0] + " (API)")


class Everyone(Staff):
    abstract = True

    @task(3)
    def home(self) -> None:
        self.page("/")

    @task
    def plans(self) -> None:
        self.page("/ke-hoach/")
        if self.sees_plans:
            self.page(f"/ke-hoach/{PLAN}/", "/ke-hoach/<slug>/")

    @task
    def indicators(self) -> None:
        self.page("/chi-so/")

    @task
    def units(self) -> None:
        self.page("/don-vi/")

    @task
    def api_plans(self) -> None:
        self.api("/api/plans/?limit=20")
        self.api("/api/units/?search=Khánh&limit=20")


class RegisterUser(Everyone):
    abstract = True
    people: list[int]

    def on_start(self) -> None:
        super().on_start()
        rows = self.client.get(
            "/api/registers/people/?limit=50", name="/api/registers/people/ (API)"
        )
        self.people = [row["id"] for row in rows.json().get("results", [])] if rows.ok else []

    @task(4)
    def person(self) -> None:
        if self.people:
            self.page(f"/nguoi/{random.choice(self.people)}/", "/nguoi/<id>/")  # noqa: S311

    @task(2)
    def people_search(self) -> None:
        self.page("/nguoi/?q=Thị", "/nguoi/?q=")

    @task(2)
    def worklists(self) -> None:
        self.page("/so/viec-can-lam/")

    @task
    def api_people(self) -> None:
        self.api("/api/registers/people/?limit=20")
        self.api("/api/registers/immunisations/?limit=20")


class CommuneStation(RegisterUser):
    weight = 5
    usernames = ("tram.bacai", "tram.phanrang")


class ProvinceOfficer(RegisterUser):
    weight = 2
    usernames = ("sokhanhhoa",)

    @task(2)
    def scorecard(self) -> None:
        self.page(f"/ke-hoach/{PLAN}/bang-diem/", "/ke-hoach/<slug>/bang-diem/")

    @task
    def indicator_values(self) -> None:
        self.api("/api/indicators/values/?indicator=facility_birth&unit=56&period=2026&by=unit")

    @task
    def access_log(self) -> None:
        self.page("/so/nhat-ky-truy-cap/")


class Hospital(RegisterUser):
    weight = 1
    usernames = ("benhvien.khanhhoa",)


class Leader(Everyone):
    weight = 1
    usernames = ("lanhdao.khanhhoa",)

    @task(2)
    def scorecard(self) -> None:
        self.page(f"/ke-hoach/{PLAN}/bang-diem/", "/ke-hoach/<slug>/bang-diem/")


class OtherDepartment(Everyone):
    weight = 1
    usernames = ("taichinh.bacgiang",)
    sees_plans = False
