"""Maternal death surveillance and response in the generated province: what a year of
MPDSR leaves in the system once the registers are there (notifications, reviews with
delays and recommendations, actions in every state, perinatal reviews, each hospital's
red-alert log and standard), drawn from the deaths and births already imported.

Deterministic: the same database rows, seed and ``today`` give the same records. Written
straight to the ``mch.mpdsr`` tables (a generator, not a user: no audit entries); rows are
recognisable by the case codes and by ``RedAlert.procedures`` starting "[DEMO]".

Levels (synthetic-data settings, not estimates): 85% of maternal deaths notified, a
median of about 9 hours after the death, one in five after 24 hours; deaths older than 45
days reviewed in 80% of cases, the meeting 3–12 weeks after the death; 1–3
recommendations per completed review; about 60% of the perinatal deaths older than a month
reviewed; red alerts at about 1 per 100 hospital deliveries (30 a year in a provincial
hospital, 10 in a regional centre), median response 4 / 8 / 25 minutes for the department
/ hospital / inter-hospital levels, a mother's death in about 2%.

``mortality_layer_load`` adds, for the demo, the registers a mountainous province needs
for its rates to mean something (women, pregnancies, deliveries, births and deaths of a
year, no other care): the six demo communes alone have too few births for a maternal
death to be expected (about 0.1 a year at 46 per 100,000).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from mch.registers.models import Birth, BirthOutcome, Death, MaternalGroup, Person, ReviewStatus

Progress = Callable[[str], None]
LAYER_PROVINCE = "15"  # Lào Cai (with Yên Bái since 2025): mountainous, ethnic minorities
LAYER_PREFIX = "DEMOTV"
KEEP_FILES = ("persons", "pregnancies", "deliveries", "births", "deaths")

ICD_MM_OF_CAUSE = {
    "haemorrhage": "3",
    "hypertensive": "2",
    "sepsis": "4",
    "abortion": "1",
    "other_direct": "5",
    "indirect": "7",
}
FACTORS = (
    "1.danger_signs",
    "1.family_decision",
    "1.cost",
    "1.custom",
    "2.distance",
    "2.transport",
    "2.referral",
    "3.diagnosis",
    "3.blood",
    "3.staff",
    "3.drugs",
    "3.protocol",
)
RECOMMENDATIONS = {
    "1": "Truyền thông dấu hiệu nguy hiểm khi mang thai cho phụ nữ và gia đình tại thôn bản",
    "2": "Bố trí phương tiện chuyển tuyến cấp cứu sản khoa và danh bạ gọi xe tại trạm y tế xã",
    "3.blood": "Dự trữ máu nhóm O và chế phẩm máu tại khoa Sản, quy trình truyền máu khẩn cấp",
    "3.staff": "Tập huấn xử trí băng huyết sau đẻ và sản giật cho kíp trực",
    "3.drugs": "Bảo đảm oxytocin, magnesium sulfat và bóng chèn tử cung tại các điểm đỡ đẻ",
    "3.protocol": "Kiểm tra tuân thủ phác đồ theo dõi chuyển dạ (biểu đồ chuyển dạ) hằng tháng",
    "3.diagnosis": "Hội chẩn trực tuyến với bệnh viện tỉnh khi tiên lượng nặng",
    "perinatal": "Hồi sức sơ sinh: tập huấn bóng, mặt nạ cho nữ hộ sinh và y sĩ sản nhi",
    "perinatal.A": "Quản lý thai nghén: khám thai đủ 4 lần, tư vấn theo dõi cử động thai",
    "perinatal.I": "Theo dõi tim thai và chuyển dạ bằng biểu đồ chuyển dạ tại mọi điểm đỡ đẻ",
    "perinatal.N": "Hồi sức sơ sinh: tập huấn bóng, mặt nạ cho nữ hộ sinh và y sĩ sản nhi",
}
# What the owner does about each recommendation (the action column of M5 and the yearly report).
ACTION_TEXTS = {
    "1": "Tổ chức nói chuyện chuyên đề tại các thôn bản, phát tờ rơi song ngữ",
    "2": "Lập danh bạ xe cấp cứu và tổ xe ôm tình nguyện tại trạm y tế",
    "3.blood": "Ký hợp đồng cung ứng máu với bệnh viện tuyến trên, diễn tập truyền máu khẩn cấp",
    "3.staff": "Mở lớp tập huấn 3 ngày cho kíp trực sản, đánh giá lại sau 6 tháng",
    "3.drugs": "Bổ sung cơ số thuốc cấp cứu sản khoa, kiểm tra hằng quý",
    "3.protocol": "Bình bệnh án hằng tháng, kiểm tra biểu đồ chuyển dạ ngẫu nhiên",
    "3.diagnosis": "Kết nối hội chẩn từ xa với Bệnh viện Sản - Nhi tỉnh",
    "perinatal.A": "Rà soát sổ quản lý thai, nhắc lịch khám qua điện thoại",
    "perinatal.I": "Tập huấn theo dõi tim thai, cấp máy Doppler tim thai",
    "perinatal.N": "Lớp hồi sức sơ sinh “Giúp bé thở” cho nữ hộ sinh",
}
EMERGENCIES = (
    ("pph", 0.45),
    ("eclampsia", 0.2),
    ("placenta", 0.12),
    ("ruptured_uterus", 0.05),
    ("amniotic_embolism", 0.03),
    ("sepsis", 0.07),
    ("other", 0.08),
)
LEVELS = (("department", 0.5, 4.0), ("hospital", 0.4, 8.0), ("inter_hospital", 0.1, 25.0))


def _rng(seed: int, purpose: int) -> np.random.Generator:
    return np.random.default_rng([seed, 4869, purpose])


def _at(day: dt.date, minutes: float) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day)) + dt.timedelta(
        minutes=float(minutes)
    )


def _province(code: str, today: dt.date) -> Any:
    from mch.orgunits.models import OrgUnit

    return OrgUnit.objects.filter(level="province", code=code).valid_on(today).get()


def mortality_layer_load(
    *,
    today: dt.date,
    province: str = LAYER_PROVINCE,
    communes: int = 45,
    births_per_year: int = 4_500,
    seed: int = 4869,
    prefix: str = LAYER_PREFIX,
    exclude: tuple[str, ...] = (),
    progress: Progress | None = None,
) -> int:
    """Import a year of women, pregnancies, deliveries, births and deaths in the
    ethnic-minority communes of ``province`` but ``exclude`` (ID prefix ``prefix``), once."""
    from mch.registers.bundle.importer import bundle_import

    from .generate import Options, generate
    from .places import province_load

    if Person.objects.filter(external_id__startswith=f"{prefix}-").exists():
        return 0
    place = province_load(province, on=today)
    chosen = sorted(
        (c for c in place.communes if c.group >= 2 and c.code not in exclude),
        key=lambda c: c.code,
    )[:communes]
    place = replace(place, communes=tuple(chosen))
    options = Options(
        as_of=today,
        births_per_year=births_per_year,
        years=1,
        end_year=today.year,
        seed=seed,
        error_rate=0.0,
        id_prefix=prefix,
    )
    with tempfile.TemporaryDirectory(prefix="mch-mpdsr-") as folder:
        generate(place, Path(folder), options)
        for path in Path(folder).glob("*.csv"):
            if path.stem not in KEEP_FILES:
                path.unlink()
        women_deaths_add(
            Path(folder),
            today=today,
            seed=seed,
            prefix=prefix,
            communes={c.code for c in chosen},
        )
        result = bundle_import(source=Path(folder), user=None, today=today)
    if result.rejected:
        raise RuntimeError(f"Demo mortality layer refused: {result.errors[:3]}")
    if progress is not None:
        progress(result.summary())
    return result.count("created")


# Deaths of women 15–49 outside pregnancy (synthetic-data settings): about 1.1 per 1,000
# women a year (rates.woman_death_per_year), about 60 live births a year per 1,000 women
# 15–49, so some 18 such deaths per 1,000 births; late maternal deaths (43 days–1 year
# after a delivery) about 20 per 100,000 births, at least one so the demo shows the group.
WOMEN_DEATHS_PER_BIRTH = 0.0011 / 0.060
LATE_PER_BIRTH = 20 / 100_000
WOMAN_CAUSES = (
    ("injury", "Tai nạn giao thông", 0.25),
    ("other", "Bệnh lý nội khoa", 0.35),
    ("other_infection", "Nhiễm trùng", 0.10),
    ("unknown", "", 0.15),
    ("indirect", "Bệnh tim mạch", 0.15),
)


def women_deaths_add(
    folder: Path, *, today: dt.date, seed: int, prefix: str, communes: set[str]
) -> int:
    """Add to a generated bundle the deaths maternal death surveillance screens beside the
    maternal ones (issue 10: every death of a woman 15–49): women of the layer's communes
    who died outside pregnancy (accidents, other diseases, some with the relation to
    pregnancy unknown: "pending"), and late deaths of mothers 43 days to 1 year after
    their delivery (the pregnancy relation left empty: the import derives it)."""
    import csv

    rng = _rng(seed, 15_49)

    def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            return list(reader.fieldnames or []), list(reader)

    def append(name: str, header: list[str], rows: list[dict[str, str]]) -> None:
        with (folder / f"{name}.csv").open("a", encoding="utf-8", newline="") as handle:
            csv.DictWriter(handle, header).writerows(rows)

    def day(text: str) -> dt.date:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()

    p_header, persons = read("persons")
    d_header, deaths = read("deaths")
    _, deliveries = read("deliveries")
    _, pregnancies = read("pregnancies")
    births = sum(1 for _ in (folder / "births.csv").open(encoding="utf-8")) - 1
    mothers = [p for p in persons if p["sex"] == "F" and not p["mother_id"]]
    # Templates for the new women: mothers recorded in a commune of today's map.
    current = [p for p in mothers if p["commune"] in communes]
    if not current or births <= 0:
        return 0
    dead = {d["person_id"] for d in deaths}
    hospitals = sorted({d["facility"] for d in deaths if d["facility"]})
    first = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=365))
    span = (today - first).days - 2
    causes = [c for c, _, _ in WOMAN_CAUSES]
    texts = {c: t for c, t, _ in WOMAN_CAUSES}
    weights = np.array([w for _, _, w in WOMAN_CAUSES])
    new_persons: list[dict[str, str]] = []
    new_deaths: list[dict[str, str]] = []

    def death_row(
        person: dict[str, str], when: dt.date, cause: str, relation: str, at: dict[str, str]
    ) -> None:
        place = str(rng.choice(["facility", "home", "on_the_way"], p=[0.4, 0.45, 0.15]))
        new_deaths.append(
            dict.fromkeys(d_header, "")
            | {
                "id": f"{prefix}-XW{len(new_deaths) + 1:05d}",
                "person_id": person["id"],
                "date": f"{when:%d/%m/%Y}",
                "commune": at["commune"],
                "village": at["village"],
                "facility": str(rng.choice(hospitals)) if place == "facility" and hospitals else "",
                "place": place if hospitals or place != "facility" else "home",
                "cause_group": cause,
                "injury_type": "traffic" if cause == "injury" else "",
                "cause_text": texts[cause],
                "pregnancy_relation": relation,
                "recorded_on": f"{min(today, when + dt.timedelta(days=int(rng.integers(0, 20)))):%d/%m/%Y}",
            }
        )

    for k in range(int(rng.poisson(births * WOMEN_DEATHS_PER_BIRTH))):
        like = current[int(rng.integers(len(current)))]
        other = current[int(rng.integers(len(current)))]
        when = first + dt.timedelta(days=int(rng.integers(0, span)))
        born = when - dt.timedelta(days=int(rng.integers(15 * 366, 50 * 365)))
        person = like | {
            "id": f"{prefix}-PW{k + 1:05d}",
            "full_name": " ".join(like["full_name"].split()[:1] + other["full_name"].split()[1:]),
            "birth_date": f"{born:%d/%m/%Y}",
            "national_id": "",
            "insurance_number": "",
            "phone": "",
            "registered_on": f"{when:%d/%m/%Y}",
        }
        new_persons.append(person)
        cause = str(rng.choice(causes, p=weights / weights.sum()))
        death_row(person, when, cause, "not_pregnant" if rng.random() < 0.9 else "unknown", person)
    # Late maternal deaths: mothers alive after a delivery of 43 days to 1 year before,
    # with no later pregnancy.
    by_id = {p["id"]: p for p in mothers}
    later: dict[str, str] = {}
    for row in pregnancies:
        later[row["person_id"]] = max(
            later.get(row["person_id"], ""), row["date"][6:] + row["date"][3:5] + row["date"][:2]
        )
    candidates = [
        row
        for row in deliveries
        if row["person_id"] in by_id
        and row["commune"] in communes
        and row["person_id"] not in dead
        and (today - day(row["date"])).days > 60
        and later.get(row["person_id"], "") <= f"{day(row['date']):%Y%m%d}"
    ]
    candidates.sort(key=lambda row: row["id"])
    late = max(1, int(rng.poisson(births * LATE_PER_BIRTH)))
    for index in rng.permutation(len(candidates))[:late].tolist():
        row = candidates[int(index)]
        delivered = day(row["date"])
        gap = int(rng.integers(43, min(365, (today - delivered).days - 2) + 1))
        mother = by_id[row["person_id"]]
        death_row(
            mother,
            delivered + dt.timedelta(days=gap),
            str(rng.choice(["indirect", "other"])),
            "",
            row,
        )
        dead.add(mother["id"])
    append("persons", p_header, new_persons)
    append("deaths", d_header, new_deaths)
    return len(new_deaths)


@transaction.atomic
def mpdsr_generate(
    *,
    province: str,
    today: dt.date,
    seed: int = 1,
    board: tuple[str, ...] = (),
    progress: Progress | None = None,
) -> dict[str, int]:
    """Draw the MPDSR records of ``province`` (a province code) up to ``today``; nothing
    when the province already has generated ones. ``board``: usernames made members (the
    first the obstetrician who leads the reviews)."""
    from mch.accounts.models import User
    from mch.mpdsr.models import (
        Action,
        BoardMember,
        Notification,
        PerinatalReview,
        ProvinceSettings,
        RedAlert,
        RedAlertStandard,
        Review,
    )
    from mch.mpdsr.services import RED_ALERT_KINDS, forms_current
    from mch.orgunits.models import Agency, Facility

    unit = _province(province, today)
    counts = dict.fromkeys(
        ("board", "notifications", "reviews", "actions", "perinatal", "red_alerts"), 0
    )
    if RedAlert.objects.filter(
        facility__unit__path__startswith=unit.path, procedures__startswith="[DEMO]"
    ).exists():
        return counts
    version, spec = forms_current()
    roles = ("lead_obstetrician", "chair", "member", "secretary")
    members = []
    for i, username in enumerate(board):
        user = User.objects.filter(username=username).first()
        if user is not None:
            row, _ = BoardMember.objects.get_or_create(
                province=unit, user=user, defaults={"role": roles[min(i, 3)]}
            )
            members.append(row)
    counts["board"] = len(members)
    ProvinceSettings.objects.get_or_create(province=unit)
    hospitals = list(
        Facility.objects.filter(unit__path__startswith=unit.path, kind__in=RED_ALERT_KINDS)
        .exclude(kind="district_health_centre")  # none after 01/07/2025
        .order_by("code")
    )
    agencies = Agency.objects.filter(unit=unit).order_by("code")
    agency = agencies.filter(name__icontains="Y tế").first() or agencies.first()
    rng = _rng(seed, int.from_bytes(province.encode(), "big") % 2**31)
    # Each hospital's own standard: most provincial hospitals set 10 minutes, a few 15.
    for k, facility in enumerate(hospitals):
        if k % 3 != 2:
            RedAlertStandard.objects.get_or_create(
                facility=facility, defaults={"minutes": 10 if k % 3 == 0 else 15}
            )
    standards = {
        s.facility_id: s.minutes for s in RedAlertStandard.objects.filter(facility__in=hospitals)
    }

    def owner(factor: str, facility: Any) -> dict[str, Any]:
        if factor.startswith("3") and facility is not None:
            return {"owner_facility": facility}
        if agency is not None:
            return {"owner_agency": agency}
        return {"owner_facility": facility or (hospitals[0] if hospitals else None)}

    def actions_for(
        review: Any, meeting: dt.date, factors: list[str], facility: Any, perinatal: bool
    ) -> None:
        keys = factors[:3] if factors else ["3.protocol"]
        if perinatal:
            keys = [f"perinatal.{review.timing or 'N'}"]
        for key in keys:
            text = RECOMMENDATIONS.get(key) or RECOMMENDATIONS.get(
                key.split(".")[0], RECOMMENDATIONS["3.protocol"]
            )
            deadline = meeting + dt.timedelta(days=int(rng.integers(30, 150)))
            roll = rng.random()
            if deadline < today:
                status = (
                    "done"
                    if roll < 0.6
                    else "in_progress"
                    if roll < 0.8
                    else "planned"
                    if roll < 0.95
                    else "dropped"
                )
            else:
                status = "in_progress" if roll < 0.5 else "planned" if roll < 0.9 else "done"
            done_on = None
            if status == "done":
                done_on = min(today, meeting + dt.timedelta(days=int(rng.integers(20, 140))))
            target = owner(key, facility)
            if not any(target.values()):
                continue
            Action.objects.create(
                review=None if perinatal else review,
                perinatal_review=review if perinatal else None,
                recommendation=text,
                action=ACTION_TEXTS.get(key, ACTION_TEXTS.get(key.split(".")[0], "")),
                deadline=deadline,
                status=status,
                done_on=done_on,
                progress_note="Đã triển khai" if status == "done" else "",
                **target,
            )
            counts["actions"] += 1

    # -- maternal deaths: M1, M2, actions ------------------------------------------------------
    deaths = list(
        Death.objects.filter(residence_unit__path__startswith=unit.path, date__lte=today)
        .filter(maternal_group=MaternalGroup.MATERNAL)
        .select_related("facility", "person")
        .order_by("date", "external_id", "id")
    )
    year_codes: dict[int, int] = {}
    for death in deaths:
        if Review.objects.filter(death=death).exists():
            continue
        age = (today - death.date).days
        died_at = _at(death.date, rng.integers(0, 24 * 60))
        if (
            age >= 3
            and rng.random() < 0.85
            and not Notification.objects.filter(death=death).exists()
        ):
            hours = float(np.clip(rng.lognormal(np.log(9.0), 0.9), 0.5, 24 * 6))
            notified_at = min(died_at + dt.timedelta(hours=hours), timezone.now())
            Notification.objects.create(
                death=death,
                forms_version=version,
                died_at=died_at,
                notified_at=notified_at,
                hours_to_notify=Decimal(str(round(hours, 1))),
                reporter_name="Cán bộ phụ trách sức khỏe sinh sản",
                reporter_position=death.facility.name if death.facility_id else "Trạm y tế xã",
                place=death.facility.name if death.facility_id else death.get_place_display(),
                circumstances=death.cause_text or "Tử vong liên quan thai sản",
                fields={
                    "gestation": "pregnant"
                    if death.pregnancy_relation == "pregnant"
                    else "postpartum"
                },
            )
            Death.objects.filter(pk=death.pk).update(
                review_status=ReviewStatus.NOTIFIED,
                notified_on=timezone.localtime(notified_at).date(),
            )
            counts["notifications"] += 1
        else:
            if death.review_status in ("", ReviewStatus.NOTIFIED):
                Death.objects.filter(pk=death.pk).update(review_status=ReviewStatus.TO_NOTIFY)
            continue
        if age < 45 or rng.random() >= 0.8:
            continue
        cause = ICD_MM_OF_CAUSE.get(death.cause_group, "8")
        meeting = death.date + dt.timedelta(days=int(rng.integers(21, 85)))
        complete = meeting <= today - dt.timedelta(days=3)
        n = int(rng.integers(1, 4))
        factors = sorted(set(rng.choice(FACTORS, n, replace=False).tolist()))
        number = (
            year_codes.get(death.date.year)
            or Review.objects.filter(case_code__startswith=f"TVM-{death.date.year}-").count()
        )
        year_codes[death.date.year] = number + 1
        review = Review.objects.create(
            death=death,
            forms_version=version,
            case_code=f"TVM-{death.date.year}-{number + 1:04d}",
            method=("facility_review" if death.facility_id else "verbal_autopsy"),
            meeting_date=meeting if complete else None,
            underlying_cause=cause if complete else "",
            cause_kind=spec.mm_kind(cause) if complete else "",
            contributing="Thiếu máu thai kỳ" if rng.random() < 0.3 else "",
            delays=sorted({f.split(".")[0] for f in factors}),
            factors=factors,
            avoidability=(
                str(rng.choice(["avoidable", "possibly", "not_avoidable"], p=[0.35, 0.3, 0.35]))
                if complete
                else ""
            ),
            case_summary="[Dữ liệu tổng hợp] Tóm tắt diễn biến ca bệnh.",
            status=Review.Status.DONE if complete else Review.Status.OPEN,
        )
        review.members.set(members)
        counts["reviews"] += 1
        if complete:
            Death.objects.filter(pk=death.pk).update(review_status=ReviewStatus.REVIEWED)
            actions_for(review, meeting, factors, death.facility, False)

    # -- perinatal deaths -------------------------------------------------------------------
    stillbirths = list(
        Birth.objects.filter(
            residence_unit__path__startswith=unit.path,
            outcome=BirthOutcome.STILLBIRTH,
            date__lte=today - dt.timedelta(days=30),
        ).order_by("date", "external_id", "id")
    )
    neonatal = list(
        Death.objects.filter(
            residence_unit__path__startswith=unit.path,
            age_days__lt=28,
            date__lte=today - dt.timedelta(days=30),
        ).order_by("date", "external_id", "id")
    )
    pm_codes: dict[int, int] = {}
    for subject in [*stillbirths, *neonatal]:
        if rng.random() >= 0.6:
            continue
        is_birth = isinstance(subject, Birth)
        if PerinatalReview.objects.filter(
            **({"birth": subject} if is_birth else {"death": subject})
        ).exists():
            continue
        timings = "AI" if is_birth else "N"
        choices = [c for c, _ in spec.pm_choices(timings)]
        cause = (
            subject.perinatal_cause
            if subject.perinatal_cause in choices
            else str(rng.choice(choices))
        )
        meeting = subject.date + dt.timedelta(days=int(rng.integers(14, 60)))
        complete = meeting <= today
        number = (
            pm_codes.get(subject.date.year)
            or PerinatalReview.objects.filter(
                case_code__startswith=f"TVCS-{subject.date.year}-"
            ).count()
        )
        pm_codes[subject.date.year] = number + 1
        factors = sorted(set(rng.choice(FACTORS, int(rng.integers(0, 3)), replace=False).tolist()))
        review = PerinatalReview.objects.create(
            kind="stillbirth" if is_birth else "neonatal",
            birth=subject if is_birth else None,
            death=None if is_birth else subject,
            date=subject.date,
            residence_unit_id=subject.residence_unit_id,
            service_unit_id=subject.service_unit_id,
            facility_id=subject.facility_id,
            forms_version=version,
            case_code=f"TVCS-{subject.date.year}-{number + 1:04d}",
            method="facility_review" if subject.facility_id else "verbal_autopsy",
            meeting_date=meeting if complete else None,
            timing=spec.pm_timing(cause),
            cause=cause,
            maternal_condition=str(
                rng.choice(["M1", "M2", "M3", "M4", "M5"], p=[0.2, 0.2, 0.15, 0.1, 0.35])
            ),
            factors=factors,
            delays=sorted({f.split(".")[0] for f in factors}),
            avoidability=str(
                rng.choice(["avoidable", "possibly", "not_avoidable"], p=[0.25, 0.3, 0.45])
            ),
            case_summary="[Dữ liệu tổng hợp] Tóm tắt ca.",
            status="done" if complete else "open",
        )
        review.members.set(members)
        counts["perinatal"] += 1
        if complete and rng.random() < 0.5:
            actions_for(review, meeting, factors, subject.facility, True)

    # -- red alerts, per hospital ------------------------------------------------------------
    maternal_at: dict[int, list[Death]] = {}
    for death in deaths:
        if death.facility_id:
            maternal_at.setdefault(death.facility_id, []).append(death)
    start = dt.date(today.year - 1, 1, 1)
    span = (today - start).days
    emergencies = [e for e, _ in EMERGENCIES]
    e_p = np.array([p for _, p in EMERGENCIES])
    for facility in hospitals:
        provincial = facility.kind == "provincial_hospital"
        speed = float(rng.uniform(0.7, 1.5))  # some teams are slower than others
        n = int(rng.poisson((30 if provincial else 10) * span / 365))
        linked = maternal_at.get(facility.pk, [])
        for k in range(n + len(linked)):
            death = linked[k - n] if k >= n else None
            day = death.date if death else start + dt.timedelta(days=int(rng.integers(0, span)))
            called_at = _at(day, rng.integers(0, 24 * 60))
            if called_at > timezone.now():
                continue
            li = int(rng.choice(3, p=[p for _, p, _ in LEVELS]))
            level, _, median = LEVELS[li]
            if death is not None:
                level, median = "hospital", 8.0
            minutes = round(float(np.clip(rng.lognormal(np.log(median * speed), 0.45), 1, 120)), 1)
            mother = (
                "died"
                if death is not None
                else (
                    "died"
                    if rng.random() < 0.02
                    else "transferred"
                    if rng.random() < 0.08
                    else "alive"
                )
            )
            baby = str(rng.choice(["alive", "died", "not_applicable"], p=[0.82, 0.08, 0.10]))
            RedAlert.objects.create(
                facility=facility,
                forms_version=version,
                called_at=called_at,
                level=level,
                emergency="pph"
                if death is not None and death.cause_group == "haemorrhage"
                else str(rng.choice(emergencies, p=e_p / e_p.sum())),
                team_arrived_at=called_at + dt.timedelta(minutes=minutes),
                response_minutes=Decimal(str(minutes)),
                standard_minutes=standards.get(facility.pk) or spec.level_minutes(level),
                procedures="[DEMO] Kíp cấp cứu liên chuyên khoa",
                mother_outcome=mother,
                baby_outcome=baby,
                person=death.person if death else None,
                death=death,
            )
            counts["red_alerts"] += 1
    if progress is not None:
        progress(
            f"{unit.name}: {counts['notifications']} thông báo M1, {counts['reviews']} thẩm định, "
            f"{counts['actions']} hành động, {counts['perinatal']} thẩm định chu sinh, "
            f"{counts['red_alerts']} báo động đỏ"
        )
    return counts


# The demo commune user tram.bacai's commune (Xã Bác Ái, Khánh Hòa): its few hundred
# generated people hold no death of a woman 15–49, so its surveillance list would be empty.
BAC_AI = "22795"
BAC_AI_PREFIX = "DEMOBA"


def commune_deaths_load(
    *, today: dt.date, commune: str = BAC_AI, prefix: str = BAC_AI_PREFIX
) -> int:
    """Three deaths of women 15–49 resident in ``commune``, once, so its station's
    surveillance list shows each kind: a maternal death (postpartum haemorrhage at the
    provincial hospital, 40 days ago) notified 10 hours after it, a woman killed in a road
    accident outside pregnancy (not maternal, 75 days ago) and a death of unknown cause
    and unknown relation to pregnancy (pending screening, 12 days ago). Written through the
    register services as the system (user ``None``), the notification straight to its
    table like ``mpdsr_generate``. Dates stay within ``today``'s year (the list's default
    period)."""
    from mch.mpdsr.models import Notification
    from mch.mpdsr.services import forms_current
    from mch.orgunits.models import Facility, OrgUnit
    from mch.registers import services as reg

    if Person.objects.filter(external_id__startswith=f"{prefix}-").exists():
        return 0
    unit = OrgUnit.objects.filter(level="commune", code=commune).valid_on(today).first()
    if unit is None:
        return 0
    province = unit.parent
    while province is not None and province.level != "province":
        province = province.parent
    hospital = (
        Facility.objects.filter(
            unit__path__startswith=(province or unit).path, kind="provincial_hospital"
        )
        .order_by("code")
        .first()
    )
    year_start = dt.date(today.year, 1, 1)

    def ago(days: int) -> dt.date:
        return max(year_start, today - dt.timedelta(days=days))

    cases = (
        # name, born, days ago, maternal?, death fields
        ("Pi Năng Thị Hiền", dt.date(1994, 6, 12), 40, True, {}),
        (
            "Katơr Thị Mai",
            dt.date(1988, 2, 3),
            75,
            False,
            {
                "place": "on_the_way",
                "cause_group": "injury",
                "injury_type": "traffic",
                "cause_text": "Tai nạn giao thông",
                "pregnancy_relation": "not_pregnant",
            },
        ),
        (
            "Chamaléa Thị Bảy",
            dt.date(2001, 9, 21),
            12,
            False,
            {"place": "home", "cause_group": "unknown", "pregnancy_relation": "unknown"},
        ),
    )
    version = forms_current()[0]
    made = 0
    with transaction.atomic():
        for k, (name, born, days, maternal, fields) in enumerate(cases, start=1):
            when = ago(days)
            person = reg.person_register(
                user=None,
                full_name=name,
                sex="F",
                birth_date=born,
                residence_unit=unit,
                allow_likely_duplicate=True,
                today=today,
            )
            Person.objects.filter(pk=person.pk).update(external_id=f"{prefix}-P{k}")
            if maternal:
                # Delivered the day before at the hospital; died of haemorrhage after.
                reg.pregnancy_register(
                    user=None,
                    person=person,
                    date=when - dt.timedelta(days=200),
                    lmp=when - dt.timedelta(days=275),
                    today=today,
                )
                fields = {
                    "place": "facility" if hospital else "home",
                    "facility": hospital,
                    "service_unit": hospital.unit if hospital else None,
                    "cause_group": "haemorrhage",
                    "cause_text": "Băng huyết sau đẻ",
                    "maternal_cause": "direct",
                    "pregnancy_related": True,
                }
            death = reg.death_record(
                user=None, person=person, date=when, recorded_on=when, today=today, **fields
            )
            Death.objects.filter(pk=death.pk).update(external_id=f"{prefix}-D{k}")
            if maternal:
                died_at = _at(when, 6 * 60 + 30)
                notified_at = died_at + dt.timedelta(hours=10)
                Notification.objects.create(
                    death=death,
                    forms_version=version,
                    died_at=died_at,
                    notified_at=notified_at,
                    hours_to_notify=Decimal("10.0"),
                    reporter_name="Cán bộ phụ trách sức khỏe sinh sản",
                    reporter_position=hospital.name if hospital else "Trạm y tế xã",
                    place=hospital.name if hospital else "Tại nhà",
                    circumstances="Băng huyết sau đẻ, chuyển tuyến từ trạm y tế xã",
                    fields={"gestation": "postpartum"},
                )
                Death.objects.filter(pk=death.pk).update(
                    review_status=ReviewStatus.NOTIFIED,
                    notified_on=timezone.localtime(notified_at).date(),
                )
            made += 1
    return made


# The demo commune user tram.phanrang's ward (Phường Phan Rang, Khánh Hòa) and its
# province officer's worklist: the cases a board has in hand on an ordinary day.
PHAN_RANG = "22759"
PHAN_RANG_PREFIX = "DEMOPR"


@dataclass(frozen=True)
class DemoCase:
    """One death of a woman 15–49 for the demo, and how far MPDSR has taken it.

    ``stage``: "pending" (suspected maternal, not notified: entered ``hours`` ago),
    "notified" (notified ``hours`` after the death), "review_open" (notified, review
    opened, no meeting yet), "reviewed" (review complete with its actions) or
    "not_maternal" (outside pregnancy)."""

    name: str
    born: dt.date
    days_ago: int
    stage: str
    hours: float = 0.0
    at_hospital: bool = True
    cause_group: str = "haemorrhage"
    cause_text: str = ""
    maternal_cause: str = "direct"
    icd_mm: str = ""
    factors: tuple[str, ...] = ()
    avoidability: str = ""
    # (recommendation key, owner "facility"/"agency", deadline days after the meeting,
    #  status, done days after the meeting or None)
    actions: tuple[tuple[str, str, int, str, int | None], ...] = ()


PHAN_RANG_CASES = (
    DemoCase(
        "Nguyễn Thị Thu Hà",
        dt.date(1997, 3, 8),
        0,
        "pending",
        hours=5,
        cause_text="Băng huyết sau mổ lấy thai",
    ),
    DemoCase(
        "Trần Thị Kim Loan",
        dt.date(1992, 11, 2),
        1,
        "pending",
        hours=30,
        at_hospital=False,
        cause_group="unknown",
        cause_text="Tử vong tại nhà 5 ngày sau đẻ, chưa rõ nguyên nhân",
        maternal_cause="",
    ),
    DemoCase(
        "Lê Thị Ngọc Ánh",
        dt.date(1991, 7, 19),
        80,
        "reviewed",
        hours=6.5,
        cause_group="hypertensive",
        cause_text="Sản giật",
        icd_mm="2",
        factors=("1.danger_signs", "3.protocol", "3.drugs"),
        avoidability="avoidable",
        actions=(
            ("1", "agency", 30, "in_progress", None),
            ("3.drugs", "facility", 40, "done", 21),
            ("3.protocol", "facility", 120, "planned", None),
        ),
    ),
    DemoCase(
        "Phạm Thị Hồng Nhung",
        dt.date(1989, 1, 30),
        26,
        "review_open",
        hours=31,
        cause_group="indirect",
        cause_text="Suy tim do bệnh van tim",
        maternal_cause="indirect",
        factors=("2.referral",),
    ),
    DemoCase(
        "Đặng Thị Mỹ",
        dt.date(1980, 5, 14),
        110,
        "not_maternal",
        at_hospital=False,
        cause_group="other",
        cause_text="Ung thư vú",
        maternal_cause="",
    ),
)


def demo_cases_load(
    *,
    today: dt.date,
    commune: str = PHAN_RANG,
    prefix: str = PHAN_RANG_PREFIX,
    cases: tuple[DemoCase, ...] = PHAN_RANG_CASES,
    now: dt.datetime | None = None,
) -> dict[str, int]:
    """The deaths ``cases`` of women resident in ``commune``, once, each taken as far as
    its stage: suspected maternal deaths waiting for notification (entered in the
    register a few hours ago, so the worklist shows the hours elapsed, one past 24 h), a
    death notified late whose review is open, a reviewed death whose recommendations are
    actions (one overdue, one done, one planned), a death outside pregnancy. Deaths and
    people through the register services as the system; M1, M2 and actions straight to
    their tables like ``mpdsr_generate`` (the board: the province's members)."""
    from mch.mpdsr.models import Action, BoardMember, Notification, Review
    from mch.mpdsr.services import forms_current
    from mch.orgunits.models import Agency, Facility, OrgUnit
    from mch.registers import services as reg

    counts = dict.fromkeys(("deaths", "pending", "notifications", "reviews", "actions"), 0)
    if Person.objects.filter(external_id__startswith=f"{prefix}-").exists():
        return counts
    unit = OrgUnit.objects.filter(level="commune", code=commune).valid_on(today).first()
    if unit is None:
        return counts
    now = now or timezone.now()
    province = unit.parent
    while province is not None and province.level != "province":
        province = province.parent
    within = (province or unit).path
    hospital = (
        Facility.objects.filter(unit__path__startswith=within, kind="provincial_hospital")
        .order_by("code")
        .first()
    )
    agencies = Agency.objects.filter(unit=province).order_by("code") if province else None
    agency = (
        (agencies.filter(name__icontains="Y tế").first() or agencies.first()) if agencies else None
    )
    members = list(BoardMember.objects.filter(province=province, active=True)) if province else []
    station = Facility.objects.filter(unit=unit).order_by("code").first()
    version, spec = forms_current()
    year_start = dt.date(today.year, 1, 1)
    with transaction.atomic():
        for k, case in enumerate(cases, start=1):
            if case.stage == "pending":
                entered = now - dt.timedelta(hours=case.hours)
                when = timezone.localtime(entered - dt.timedelta(hours=3)).date()
            else:
                when = max(year_start, today - dt.timedelta(days=case.days_ago))
            person = reg.person_register(
                user=None,
                full_name=case.name,
                sex="F",
                birth_date=case.born,
                residence_unit=unit,
                allow_likely_duplicate=True,
                today=today,
            )
            Person.objects.filter(pk=person.pk).update(external_id=f"{prefix}-P{k}")
            fields: dict[str, Any] = {
                "cause_group": case.cause_group,
                "cause_text": case.cause_text,
            }
            maternal = case.stage != "not_maternal"
            if maternal:
                reg.pregnancy_register(
                    user=None,
                    person=person,
                    date=when - dt.timedelta(days=200),
                    lmp=when - dt.timedelta(days=275),
                    today=today,
                )
                fields |= {"pregnancy_related": True}
                if case.maternal_cause:
                    fields["maternal_cause"] = case.maternal_cause
            else:
                fields["pregnancy_relation"] = "not_pregnant"
            at_hospital = case.at_hospital and hospital is not None
            fields |= (
                {"place": "facility", "facility": hospital, "service_unit": hospital.unit}
                if at_hospital and hospital is not None
                else {"place": "home"}
            )
            death = reg.death_record(
                user=None, person=person, date=when, recorded_on=when, today=today, **fields
            )
            Death.objects.filter(pk=death.pk).update(external_id=f"{prefix}-D{k}")
            counts["deaths"] += 1
            if case.stage == "pending":
                Death.objects.filter(pk=death.pk).update(
                    created_at=now - dt.timedelta(hours=case.hours),
                    review_status=ReviewStatus.TO_NOTIFY,
                )
                counts["pending"] += 1
                continue
            if not maternal:
                continue
            died_at = _at(when, 4 * 60 + 15 * k)
            notified_at = min(died_at + dt.timedelta(hours=case.hours), now)
            place = hospital.name if at_hospital and hospital else "Tại nhà"
            Notification.objects.create(
                death=death,
                forms_version=version,
                died_at=died_at,
                notified_at=notified_at,
                hours_to_notify=Decimal(str(round(case.hours, 1))),
                reporter_name="Cán bộ phụ trách sức khỏe sinh sản",
                reporter_position=hospital.name if at_hospital and hospital else "Trạm y tế phường",
                place=place,
                circumstances=case.cause_text or "Tử vong liên quan thai sản",
                fields={"gestation": "postpartum"},
            )
            Death.objects.filter(pk=death.pk).update(
                review_status=ReviewStatus.NOTIFIED,
                notified_on=timezone.localtime(notified_at).date(),
            )
            counts["notifications"] += 1
            if case.stage == "notified":
                continue
            complete = case.stage == "reviewed"
            meeting = when + dt.timedelta(days=35)
            number = Review.objects.filter(case_code__startswith=f"TVM-{when.year}-").count()
            review = Review.objects.create(
                death=death,
                forms_version=version,
                case_code=f"TVM-{when.year}-{number + 1:04d}",
                method="facility_review" if at_hospital else "verbal_autopsy",
                meeting_date=meeting if complete else None,
                underlying_cause=case.icd_mm if complete else "",
                cause_kind=spec.mm_kind(case.icd_mm) if complete else "",
                delays=sorted({f.split(".")[0] for f in case.factors}),
                factors=list(case.factors),
                avoidability=case.avoidability if complete else "",
                case_summary="[Dữ liệu tổng hợp] Tóm tắt diễn biến ca bệnh.",
                status=Review.Status.DONE if complete else Review.Status.OPEN,
            )
            review.members.set(members)
            counts["reviews"] += 1
            if not complete:
                continue
            Death.objects.filter(pk=death.pk).update(review_status=ReviewStatus.REVIEWED)
            for key, who, due, status, done in case.actions:
                if who == "facility":
                    target = {"owner_facility": hospital}
                elif agency is not None:
                    target = {"owner_agency": agency}
                else:  # the ward's health station
                    target = {"owner_facility": station or hospital}
                if not any(target.values()):
                    continue
                Action.objects.create(
                    review=review,
                    recommendation=RECOMMENDATIONS.get(key, RECOMMENDATIONS["3.protocol"]),
                    action=ACTION_TEXTS.get(key, ""),
                    deadline=meeting + dt.timedelta(days=due),
                    status=status,
                    done_on=min(today, meeting + dt.timedelta(days=done)) if done else None,
                    progress_note="Đã triển khai" if status == "done" else "",
                    **target,
                )
                counts["actions"] += 1
    return counts


def mpdsr_demo_load(*, today: dt.date | None = None, progress: Progress | None = None) -> None:
    """The demo's MPDSR: Lào Cai's mortality layer, then the records of Lào Cai (board:
    solaocai) and Khánh Hòa (board: sokhanhhoa), then three deaths of women of Bác Ái (the
    demo commune user tram.bacai's commune) and five of Phan Rang (tram.phanrang's ward:
    the province's worklist, reviews and actions at each stage, ``demo_cases_load``)."""
    from .demo import DEMO_COMMUNES

    today = today or timezone.localdate()
    mortality_layer_load(today=today, progress=progress)
    # Khánh Hòa: the province of the demo's commune and hospital users; its other communes
    # (not the six whose full registers the demo carries).
    mortality_layer_load(
        today=today,
        province="56",
        births_per_year=3_500,
        seed=56,
        prefix="DEMOKH",
        exclude=DEMO_COMMUNES,
        progress=progress,
    )
    mpdsr_generate(province="15", today=today, seed=15, board=("solaocai",), progress=progress)
    mpdsr_generate(province="56", today=today, seed=56, board=("sokhanhhoa",), progress=progress)
    # After the generator (its draws stay the same): the demo commune station's own deaths.
    if commune_deaths_load(today=today) and progress is not None:
        progress("Xã Bác Ái: 3 ca tử vong phụ nữ 15–49 tuổi (1 tử vong mẹ đã thông báo)")
    made = demo_cases_load(today=today)
    if made["deaths"] and progress is not None:
        progress(
            f"Phường Phan Rang: {made['deaths']} ca tử vong phụ nữ 15–49 tuổi "
            f"({made['pending']} chờ thông báo, {made['reviews']} thẩm định, "
            f"{made['actions']} hành động)"
        )
