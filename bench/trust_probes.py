"""Re-run the probes of issue 8 (trust) against a running demo, over HTTP, as its users.

    source <demo env>; mch setup; MCH_BIND=127.0.0.1:8211 mch serve &
    .venv/bin/python bench/trust_probes.py http://127.0.0.1:8211

Each probe prints one line: ``ok`` or ``FAIL``, the probe, and what the server answered.
The exit status is 1 when a probe fails. Writes go to the demo's database only when a probe
expects the server to refuse them (then nothing is written); the lockout probes use a user
name that does not exist, so no demo account is locked.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from typing import Any

import requests

PASSWORD = "demo-MCH-2026"  # noqa: S105 - the demo's published password
VI = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
ENGLISH = re.compile(
    r"\b(Forbidden|Not Found|Page not found|Server Error|Traceback|Ensure this field|"
    r"is not a valid choice|This field|Request was throttled|Expected available)\b"
)
RESULTS: list[tuple[bool, str, str]] = []


def vietnamese(text: str) -> bool:
    return bool(set(text.lower()) & VI) and not ENGLISH.search(text)


def probe(name: str) -> Callable[[Callable[[], tuple[bool, str]]], None]:
    def run(check: Callable[[], tuple[bool, str]]) -> None:
        try:
            ok, said = check()
        except Exception as error:  # a probe that cannot run fails, and says why
            ok, said = False, f"{type(error).__name__}: {error}"
        RESULTS.append((ok, name, said))
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {said}", flush=True)

    return run


class Demo:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def api(self, user: str | None, method: str, path: str, **kwargs: Any) -> requests.Response:
        auth = (user, PASSWORD) if user else None
        headers = {"Accept-Language": "vi", **kwargs.pop("headers", {})}
        return requests.request(
            method, self.base + path, auth=auth, headers=headers, timeout=120, **kwargs
        )

    def session(self, user: str) -> requests.Session:
        """A browser-like session logged in through the log-in form."""
        session = requests.Session()
        page = session.get(self.base + "/dang-nhap/", timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the log-in page"
        answer = session.post(
            self.base + "/dang-nhap/",
            data={"username": user, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
            headers={"Referer": self.base + "/dang-nhap/"},
            timeout=60,
        )
        assert answer.url.rstrip("/") == self.base, f"log-in of {user} ended on {answer.url}"
        return session

    def get(self, session: requests.Session, path: str, **kwargs: Any) -> requests.Response:
        return session.get(self.base + path, timeout=120, **kwargs)


def first(demo: Demo, user: str, path: str, test: Callable[[dict[str, Any]], bool]) -> Any:
    offset = 0
    while True:
        page = demo.api(user, "GET", f"{path}{'&' if '?' in path else '?'}offset={offset}").json()
        rows = page["results"] if isinstance(page, dict) else page
        for row in rows:
            if test(row):
                return row
        if not isinstance(page, dict) or not page.get("next"):
            raise LookupError(f"nothing found in {path}")
        offset += len(rows)


def error_page(response: requests.Response, status: int) -> tuple[bool, str]:
    title = re.search(r"<title>([^<]*)</title>", response.text)
    text = title[1] if title else response.text[:80]
    styled = '<html lang="vi">' in response.text and re.search(
        r'rel="stylesheet" href="/static/web/mch\.[\w.]*css"', response.text
    )
    ok = response.status_code == status and bool(styled) and vietnamese(response.text)
    return ok, f"{response.status_code} «{text.strip()}»"


def main(base: str) -> int:  # noqa: PLR0915 - one probe after another reads best in one place
    demo = Demo(base)
    station = "tram.bacai"
    child = first(
        demo,
        station,
        "/api/registers/people/?limit=200",
        lambda p: p.get("mother") is not None and p.get("birth_date", "") >= "2024-01-01",
    )
    home_commune = child["residence_unit"]
    other = first(
        demo,
        "sokhanhhoa",
        "/api/units/?level=commune&limit=500",
        lambda u: u["id"] != home_commune,
    )
    people_before = demo.api(station, "GET", "/api/registers/immunisations/?limit=1").json()

    # ---------------------------------------------------------------- 1. writes outside scope
    for register, body, axis in (
        (
            "immunisations",
            {"antigen": "BCG", "dose": 1, "residence_unit": other["id"]},
            "residence_unit",
        ),
        ("growth", {"weight_kg": 7.5, "length_cm": 66.0, "service_unit": other["id"]}, "service"),
        ("immunisations", {"antigen": "BCG", "dose": 1, "service_unit": other["id"]}, "service"),
    ):

        @probe(f"1. {station} POST /api/registers/{register}/ with {axis} of {other['name']}")
        def _(register: str = register, body: dict[str, Any] = body) -> tuple[bool, str]:
            answer = demo.api(
                station,
                "POST",
                f"/api/registers/{register}/",
                json={"person": child["id"], "date": "2026-11-02", **body},
            )
            said = answer.json()["errors"][0]
            return answer.status_code == 403 and said["code"] == "out_of_scope", (
                f"{answer.status_code} {said['code']}: «{said['message']}»"
            )

    @probe("1. nothing was written by the refused writes")
    def _() -> tuple[bool, str]:
        after = demo.api(station, "GET", "/api/registers/immunisations/?limit=1").json()
        return after["count"] == people_before[
            "count"
        ], f"{after['count']} immunisations, as before"

    # ---------------------------------------------------------------- 2. server errors
    staff = demo.session(station)

    @probe("2. GET /so/xuat/nguoi.csv?xa=abc")
    def _() -> tuple[bool, str]:
        answer = demo.get(staff, "/so/xuat/nguoi.csv?xa=abc")
        reason = re.search(r'role="alert"><p>([^<]*)<', answer.text)
        return answer.status_code == 400 and vietnamese(answer.text), (
            f"{answer.status_code} «{reason[1] if reason else answer.text[:80]}»"
        )

    for field, value in (("lmp", "9999-12-01"), ("date", "9999-12-31"), ("date", "0001-01-01")):

        @probe(f"2. POST /api/registers/pregnancies/ with {field} {value}")
        def _(field: str = field, value: str = value) -> tuple[bool, str]:
            mother = child["mother"]
            body = {"person": mother, "date": "2026-11-01", "lmp": "2026-09-01", field: value}
            answer = demo.api(station, "POST", "/api/registers/pregnancies/", json=body)
            message = answer.json()["errors"][0]["message"]
            ok = answer.status_code == 400 and vietnamese(message) and "01/01/1 " not in message
            return ok, f"{answer.status_code} «{message}»"

    for label, body in (
        ("5,000 arrays", "[" * 5000 + "]" * 5000),
        ("2,000 objects", '{"a":' * 2000 + "1" + "}" * 2000),
    ):

        @probe(f"2. POST /api/registers/people/ nested {label} deep")
        def _(body: str = body) -> tuple[bool, str]:
            answer = demo.api(
                station,
                "POST",
                "/api/registers/people/",
                data=body,
                headers={"Content-Type": "application/json"},
            )
            message = answer.json()["errors"][0]["message"]
            return answer.status_code == 400 and vietnamese(message), (
                f"{answer.status_code} «{message}»"
            )

    @probe("2. POST a 3 MB JSON body to /api/registers/people/")
    def _() -> tuple[bool, str]:
        body = json.dumps({"full_name": "x" * 3_000_000})
        answer = demo.api(
            station,
            "POST",
            "/api/registers/people/",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        detail = answer.json()["detail"]
        return answer.status_code == 413 and vietnamese(detail), f"{answer.status_code} «{detail}»"

    @probe("2. page_size=-5 (registers) and limit=-5 (units, plans)")
    def _() -> tuple[bool, str]:
        said = []
        ok = True
        for path in (
            "/api/registers/people/?page_size=-5",
            "/api/units/?limit=-5",
            "/api/plans/?limit=-5",
        ):
            answer = demo.api(station, "GET", path)
            text = json.dumps(answer.json(), ensure_ascii=False)
            ok &= answer.status_code == 400 and vietnamese(text)
            said.append(f"{path} → {answer.status_code} {text[:90]}")
        return ok, "; ".join(said)

    @probe("2. GET /api/units/?search=Bác Ái")
    def _() -> tuple[bool, str]:
        every = demo.api("sokhanhhoa", "GET", "/api/units/?limit=1").json()["count"]
        found = demo.api("sokhanhhoa", "GET", "/api/units/?search=Bác Ái&limit=50").json()
        names = [u["name"] for u in found["results"]]
        ok = 0 < found["count"] < every and all("bác ái" in n.lower() for n in names)
        return ok, f"{found['count']} of {every} units: {', '.join(names[:4])}"

    # ---------------------------------------------------------------- 3. Vietnamese
    hospital = demo.session("benhvien.khanhhoa")

    @probe("3. hospital user on /so/nhap/ (403 page)")
    def _() -> tuple[bool, str]:
        return error_page(demo.get(hospital, "/so/nhap/"), 403)

    @probe(f"3. {station} on /ke-hoach/nhap/ (403 page)")
    def _() -> tuple[bool, str]:
        return error_page(demo.get(staff, "/ke-hoach/nhap/"), 403)

    @probe(f"3. {station} exports another commune (/so/xuat/nguoi.csv?xa={other['id']})")
    def _() -> tuple[bool, str]:
        answer = demo.get(staff, f"/so/xuat/nguoi.csv?xa={other['id']}")
        return error_page(answer, answer.status_code if answer.status_code in (403, 404) else 403)

    @probe("3. a page that does not exist (404 page, debug off)")
    def _() -> tuple[bool, str]:
        answer = demo.get(staff, "/khong-co-trang-nay/")
        ok, said = error_page(answer, 404)
        return ok and "Django" not in answer.text and "URLconf" not in answer.text, said

    @probe("3. a person outside the user's units (/nguoi/99999999/)")
    def _() -> tuple[bool, str]:
        return error_page(demo.get(staff, "/nguoi/99999999/"), 404)

    @probe("3. log-in page after repeated wrong passwords (429 page)")
    def _() -> tuple[bool, str]:
        session = requests.Session()
        answer = None
        for _attempt in range(8):
            page = session.get(base + "/dang-nhap/", timeout=60)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            answer = session.post(
                base + "/dang-nhap/",
                data={
                    "username": "khong.co.ai",
                    "password": "sai",
                    "csrfmiddlewaretoken": token[1] if token else "",
                },
                headers={"Referer": base + "/dang-nhap/"},
                timeout=60,
            )
            if answer.status_code == 429:
                break
        assert answer is not None
        return error_page(answer, 429)

    @probe("3. API lockout (HTTP Basic, wrong password): 429, Retry-After, one sentence")
    def _() -> tuple[bool, str]:
        answer = None
        for _attempt in range(8):
            answer = requests.get(base + "/api/plans/", auth=("khong.co.api", "sai"), timeout=60)
            if answer.status_code == 429:
                break
        assert answer is not None
        detail = answer.json().get("detail", "")
        ok = (
            answer.status_code == 429
            and answer.headers.get("Retry-After", "").isdigit()
            and detail.count("thử lại") == 1
            and "giây" not in detail
        )
        return (
            ok,
            f"{answer.status_code} Retry-After {answer.headers.get('Retry-After')} «{detail}»",
        )

    @probe("3. API validation messages (full_name 300 characters, sex 'moon')")
    def _() -> tuple[bool, str]:
        answer = demo.api(
            station,
            "POST",
            "/api/registers/people/",
            json={"full_name": "x" * 300, "sex": "moon", "birth_date": "2020-02-31"},
        )
        messages = [e["message"] for e in answer.json()["errors"]]
        return answer.status_code == 400 and all(vietnamese(m) for m in messages), " | ".join(
            messages
        )

    for url in ("/api/registers/people/99999999/", "/api/units/99999999/"):
        for language in ("vi", "en"):

            @probe(f"3. GET {url} with Accept-Language: {language}")
            def _(url: str = url, language: str = language) -> tuple[bool, str]:
                answer = demo.api(station, "GET", url, headers={"Accept-Language": language})
                detail = answer.json()["detail"]
                right = vietnamese(detail) if language == "vi" else not set(detail) & VI
                ok = answer.status_code == 404 and right and "matches the given" not in detail
                return ok, f"{answer.status_code} «{detail}»"

    officer = demo.session("sokhanhhoa")

    @probe("3. indicator page names its disaggregations (no raw codes)")
    def _() -> tuple[bool, str]:
        page = demo.get(officer, "/chi-so/facility_birth/").text
        text = re.sub(r"<(script|style|code)[^>]*>.*?</\1>|<[^>]+>", " ", page, flags=re.S)
        codes = ("ethnic_minority_area", "urban_rural", "ethnicity", "education", "wealth")
        raw = [c for c in codes if re.search(rf"\b{c}\b", text)]
        named = [n for n in ("Dân tộc", "Thành thị", "Học vấn") if n.lower() in text.lower()]
        return not raw and bool(
            named
        ), f"/chi-so/facility_birth/: raw codes {raw or 'none'}, names {named}"

    # ---------------------------------------------------------------- 4. smaller things
    @probe(f"4. villages in natural order ({station}'s worklist)")
    def _() -> tuple[bool, str]:
        page = demo.get(staff, "/so/viec-can-lam/tiem-chung/").text
        select = re.search(r'<select[^>]*name="village".*?</select>', page, re.S)
        assert select, "no village choice"
        villages = [v for v in re.findall(r'<option value="([^"]+)"', select[0]) if v]

        def number(name: str) -> tuple[str, int]:
            found = re.search(r"(\d+)$", name)
            return (name[: found.start()] if found else name, int(found[1]) if found else 0)

        numbered = [number(v) for v in villages if re.search(r"\d+$", v)]
        by_stem: dict[str, list[int]] = {}
        for stem, n in numbered:
            by_stem.setdefault(stem, []).append(n)
        ok = all(ns == sorted(ns) for ns in by_stem.values())
        return ok, ", ".join(villages[:12])

    @probe("4. due / overdue worded with their dates (immunisation worklist)")
    def _() -> tuple[bool, str]:
        page = demo.get(staff, "/so/viec-can-lam/tiem-chung/?horizon=30").text
        found = re.findall(r"(?:đến hạn|quá hạn|sắp đến hạn)[^<]{0,40}?\d\d/\d\d/\d{4}", page)
        return bool(found), f"{len(found)} tasks with a date, e.g. «{found[0] if found else ''}»"

    @probe("4. province worklist view by commune (sokhanhhoa)")
    def _() -> tuple[bool, str]:
        page = demo.get(officer, "/so/viec-can-lam/").text
        links = set(re.findall(r'href="/so/viec-can-lam/[\w-]+/\?[^"]*unit=(\d+)', page))
        return len(links) > 1, f"{len(links)} communes linked with their counts"

    @probe("4. unauthenticated API call: 401 with WWW-Authenticate")
    def _() -> tuple[bool, str]:
        answer = requests.get(base + "/api/plans/", timeout=60)
        challenge = answer.headers.get("WWW-Authenticate", "")
        return answer.status_code == 401 and challenge.startswith("Basic"), (
            f"{answer.status_code} WWW-Authenticate: {challenge}"
        )

    @probe("served by gunicorn, debug off")
    def _() -> tuple[bool, str]:
        answer = requests.get(base + "/dang-nhap/", timeout=60)
        server = answer.headers.get("Server", "")
        missing = requests.get(base + "/khong-co/", timeout=60)
        return "gunicorn" in server.lower() and "Traceback" not in missing.text, (
            f"Server: {server}; 404 without technical page"
        )

    failed = [name for ok, name, _said in RESULTS if not ok]
    print(f"{len(RESULTS) - len(failed)} of {len(RESULTS)} probes hold")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
