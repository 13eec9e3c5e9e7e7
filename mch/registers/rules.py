"""The validation rules of the registers, as plain functions over plain values.

Forms, the API, bulk import and the synthetic generator all call these, so a rule is
written once and tested once. A rule returns ``Problem``s: an ``error`` refuses the
record; a ``warning`` is kept with the record as a flag (a dose given too early, an
implausible z-score), as real registers keep what really happened. No Django here but
translation: messages are Vietnamese first, English when the active language is English.
Nothing reads today's date: callers pass ``today``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from mch.core.dates import dmy

ERROR = "error"
WARNING = "warning"

# code: (Vietnamese, English). Placeholders are filled from Problem.params.
MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("Chưa nhập {label}.", "{label} is required."),
    "future_date": ("{label} ({value}) ở tương lai.", "{label} ({value}) is in the future."),
    "name_invalid": ("Họ tên phải có ít nhất 2 chữ cái.", "The name needs at least 2 letters."),
    "cccd_format": (
        "Số CCCD phải gồm đúng 12 chữ số (đã nhập: {value}).",
        "A national ID (CCCD) has exactly 12 digits (got: {value}).",
    ),
    "cccd_province": (
        "Số CCCD có mã tỉnh nơi đăng ký khai sinh không hợp lệ ({value}).",
        "The national ID's province code is not valid ({value}).",
    ),
    "cccd_sex_century": (
        "Số CCCD không khớp giới tính hoặc năm sinh (chữ số thứ 4 và 5–6).",
        "The national ID does not match the sex or year of birth (digits 4 and 5–6).",
    ),
    "cccd_duplicate": (
        "Số CCCD {value} đã có trong sổ ({other}).",
        "National ID {value} is already registered ({other}).",
    ),
    "insurance_format": (
        "Mã thẻ BHYT gồm 10 chữ số hoặc 2 chữ cái, 1 chữ số và 12 chữ số (đã nhập: {value}).",
        "A health insurance number has 10 digits or 2 letters, 1 digit and 12 digits (got: {value}).",
    ),
    "phone_format": (
        "Số điện thoại không hợp lệ (đã nhập: {value}).",
        "The phone number is not valid (got: {value}).",
    ),
    "mother_age": (
        "Tuổi của bà mẹ lúc {label} là {value}: phải từ 10 đến 60.",
        "The mother's age at {label} is {value}: it must be 10 to 60.",
    ),
    "woman_sex": ("Người này không phải nữ.", "This person is not female."),
    "lmp_edd_missing": (
        "Cần ngày kinh cuối hoặc ngày dự sinh.",
        "The last menstrual period or the expected date of delivery is needed.",
    ),
    "lmp_edd_mismatch": (
        "Ngày dự sinh lệch {value} ngày so với ngày kinh cuối + 280 ngày.",
        "The expected date of delivery is {value} days off the last period + 280 days.",
    ),
    "lmp_too_early": (
        "Ngày kinh cuối ({value}) cách ngày đăng ký hơn 44 tuần.",
        "The last period ({value}) is more than 44 weeks before registration.",
    ),
    "lmp_after": (
        "{label} ({value}) trước ngày kinh cuối.",
        "{label} ({value}) is before the last menstrual period.",
    ),
    "after_outcome": (
        "{label} ({value}) sau khi thai kỳ đã kết thúc ({other}).",
        "{label} ({value}) is after the pregnancy ended ({other}).",
    ),
    "before_birth": (
        "{label} ({value}) trước ngày sinh ({other}).",
        "{label} ({value}) is before the date of birth ({other}).",
    ),
    "before_delivery": (
        "{label} ({value}) trước ngày sinh con ({other}).",
        "{label} ({value}) is before the delivery ({other}).",
    ),
    "after_death": (
        "{label} ({value}) sau ngày tử vong ({other}).",
        "{label} ({value}) is after the date of death ({other}).",
    ),
    "pregnancy_closed": (
        "Thai kỳ này đã kết thúc ({value}).",
        "This pregnancy has already ended ({value}).",
    ),
    "pregnancy_open": (
        "Người này đang có một thai kỳ chưa kết thúc (đăng ký {value}).",
        "This woman already has an ongoing pregnancy (registered {value}).",
    ),
    "gestation_range": (
        "Tuổi thai {value} tuần nằm ngoài khoảng {low}–{high} tuần.",
        "A gestational age of {value} weeks is outside {low}–{high} weeks.",
    ),
    "birth_weight_range": (
        "Cân nặng sơ sinh {value} g nằm ngoài khoảng 300–7.000 g.",
        "A birth weight of {value} g is outside 300–7,000 g.",
    ),
    "birth_weight_unlikely": (
        "Cân nặng sơ sinh {value} g không phù hợp với tuổi thai {other} tuần: kiểm tra lại.",
        "A birth weight of {value} g is unlikely at {other} weeks: please check.",
    ),
    "range": (
        "{label} {value} nằm ngoài khoảng {low}–{high}.",
        "{label} {value} is outside {low}–{high}.",
    ),
    "choice": (
        "{label}: giá trị '{value}' không có trong danh mục.",
        "{label}: '{value}' is not one of the allowed values.",
    ),
    "dose_min_age": (
        "Mũi {value} tiêm lúc {other} ngày tuổi, trước tuổi tối thiểu {low} ngày.",
        "Dose {value} given at {other} days of age, before the minimum age of {low} days.",
    ),
    "dose_interval": (
        "Mũi {value} tiêm cách mũi trước {other} ngày, ít hơn khoảng cách tối thiểu {low} ngày.",
        "Dose {value} given {other} days after the previous dose, less than the minimum {low} days.",
    ),
    "dose_duplicate": (
        "Trẻ đã có mũi {value} ngày {other}.",
        "The child already has dose {value} on {other}.",
    ),
    "dose_unknown": (
        "Không có vắc xin '{value}' trong lịch tiêm chủng.",
        "There is no vaccine '{value}' in the schedule.",
    ),
    "z_implausible": (
        "{label} = {value} nằm ngoài khoảng WHO coi là hợp lý ({low} đến {high}): kiểm tra lại cân đo.",
        "{label} = {value} is outside WHO's plausible range ({low} to {high}): check the measurement.",
    ),
    "standing_under_9_months": (
        "Trẻ dưới 9 tháng được ghi đo đứng: coi như không rõ tư thế, không hiệu chỉnh 0,7 cm.",
        "A child under 9 months recorded as standing: position treated as unknown, no 0.7 cm adjustment.",
    ),
    "age_over_5": (
        "Trẻ đã {value} ngày tuổi (từ 5 tuổi): không tính chỉ số Z theo chuẩn WHO 2006.",
        "The child is {value} days old (5 years or more): no WHO 2006 z-scores.",
    ),
    "death_age_woman": (
        "Tử vong phụ nữ 15–49 tuổi: người này {value} tuổi.",
        "Death of a woman aged 15–49: this person is {value}.",
    ),
    "maternal_cause_not_pregnant": (
        "Nhóm nguyên nhân tử vong mẹ chỉ ghi khi người mất đang mang thai hoặc trong 1 năm "
        "sau kết thúc thai kỳ.",
        "A maternal cause group is recorded only for a death in pregnancy or within a year "
        "after its end.",
    ),
    "maternal_cause_not_woman": (
        "Thông tin thai sản chỉ ghi cho phụ nữ.",
        "Pregnancy details are recorded for women only.",
    ),
    "perinatal_cause_neonatal": (
        "Nguyên nhân chu sinh nhóm {value} dành cho {other}.",
        "Perinatal cause group {value} is for {other}.",
    ),
    "death_of_stillbirth": (
        "Trẻ này được ghi là thai chết lưu ({value}): thai chết lưu không ghi tử vong, đã được "
        "tính trong sổ đẻ.",
        "This baby was recorded as a stillbirth ({value}): a stillbirth has no death record, "
        "it is counted in the delivery register.",
    ),
    "stillbirth_person": (
        "Thai chết lưu không có mã người (chỉ trẻ đẻ sống mới đăng ký người).",
        "A stillbirth has no person (only live-born children are registered as people).",
    ),
    "stillbirth_as_person": (
        "Mẹ có một thai chết lưu ngày {value}: thai chết lưu không được đăng ký thành một "
        "người (chỉ trẻ đẻ sống mới có hồ sơ). Nếu trẻ này đẻ sống, hãy sửa kết quả sinh "
        "trong sổ đẻ; nếu là thai chết lưu, không đăng ký trẻ.",
        "The mother had a stillbirth on {value}: a stillbirth is not registered as a person "
        "(only live-born children have a record). If this child was born alive, correct the "
        "outcome in the delivery register; if it is the stillbirth, do not register it.",
    ),
    "recorded_before_death": (
        "Ngày ghi nhận ({value}) trước ngày tử vong ({other}).",
        "The date recorded ({value}) is before the date of death ({other}).",
    ),
    "injury_type_required": (
        "Tai nạn thương tích cần ghi loại tai nạn.",
        "An injury needs its type.",
    ),
    "births_fixed": (
        "Không sửa được số trẻ hoặc kết quả (đẻ sống, thai chết lưu) của một lần đẻ đã lưu.",
        "The number of babies and their outcomes (live birth, stillbirth) of a stored delivery "
        "cannot be changed.",
    ),
    "birth_date_apart": (
        "Ngày sinh của trẻ ({value}) cách ngày đẻ ({other}) {low} ngày: tối đa 2 ngày.",
        "The baby's date of birth ({value}) is {low} days from the delivery ({other}): 2 at most.",
    ),
    "birth_date_two_days": (
        "Ngày sinh của trẻ ({value}) cách ngày đẻ ({other}) 2 ngày: kiểm tra lại.",
        "The baby's date of birth ({value}) is 2 days from the delivery ({other}): please check.",
    ),
    "pnc_too_late": (
        "Lần thăm ngày thứ {value} sau sinh: quá 42 ngày.",
        "A visit on day {value} after birth is beyond 42 days.",
    ),
    "facility_required": (
        "Sinh tại cơ sở y tế cần chọn cơ sở.",
        "A facility birth needs the facility.",
    ),
    "duplicate_person": (
        "Có thể đã có người này trong sổ: {value}.",
        "This person may already be registered: {value}.",
    ),
}


@dataclass(frozen=True)
class Problem:
    code: str
    field: str = ""
    severity: str = ERROR
    params: dict[str, object] = dataclasses.field(default_factory=dict)
    # A message written by another engine (the immunisation schedule), used as is.
    text: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, language: str = "vi") -> str:
        if self.text:
            return self.text
        vi, en = MESSAGES[self.code]
        template = en if language.startswith("en") else vi
        values = {"label": "", "value": "", "other": "", "low": "", "high": ""}
        values.update({key: _show(value, language) for key, value in self.params.items()})
        return template.format(**values)

    def __str__(self) -> str:
        return self.message()


class RecordInvalid(Exception):
    """Raised by services when a record has errors; nothing was saved."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = [problem for problem in problems if problem.is_error]
        super().__init__("; ".join(problem.message() for problem in self.problems))


def _show(value: object, language: str) -> str:
    if isinstance(value, dt.date):
        return f"{dmy(value)}"
    if isinstance(value, float) and not language.startswith("en"):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.is_error]


def warning_codes(problems: Iterable[Problem]) -> list[str]:
    return sorted({problem.code for problem in problems if not problem.is_error})


# ---------------------------------------------------------------------- dates and ages


def not_future(day: dt.date | None, today: dt.date, field_name: str, label: str) -> list[Problem]:
    if day is not None and day > today:
        return [Problem("future_date", field_name, params={"label": label, "value": day})]
    return []


def age_days(birth: dt.date, day: dt.date) -> int:
    return (day - birth).days


def age_years(birth: dt.date, day: dt.date) -> int:
    """Completed years (a birthday on 29 February counts from 1 March in common years)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def age_group(birth: dt.date, day: dt.date) -> str:
    """The age group of a death (or any event) on ``day``: neonatal 0–27 completed days;
    infant ("postneonatal") from day 28 to the day before the first birthday; child from
    the first to the day before the fifth birthday; older from the fifth birthday.
    Birthdays are calendar birthdays (29 February counts from 1 March in common years),
    so a child who dies at 365 days before a leap-year birthday is still an infant."""
    if (day - birth).days < 28:
        return "neonatal"
    years = age_years(birth, day)
    if years < 1:
        return "postneonatal"
    if years < 5:
        return "child"
    return "older"


def under_one_year(birth: dt.date, day: dt.date) -> bool:
    return age_years(birth, day) < 1


# ---------------------------------------------------------------------- people

CCCD_PROVINCES = {f"{code:03d}" for code in range(1, 97)}
_INSURANCE = re.compile(r"^(\d{10}|[A-Z]{2}\d{13})$")
_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")


def national_id_check(value: str, *, sex: str = "", birth: dt.date | None = None) -> list[Problem]:
    """A 12-digit CCCD: 3 digits of the province of birth registration, a digit for
    sex and century (0/1 male/female born 1900–1999, 2/3 in 2000–2099, 4/5 in 2100s),
    2 digits of the year of birth, 6 random digits (Thông tư 59/2021/TT-BCA)."""
    if not value:
        return []
    if not re.fullmatch(r"\d{12}", value):
        return [Problem("cccd_format", "national_id", params={"value": value})]
    if value[:3] not in CCCD_PROVINCES:
        return [Problem("cccd_province", "national_id", params={"value": value[:3]})]
    code = int(value[3])
    problems: list[Problem] = []
    if sex and code <= 5 and (code % 2 == 1) != (sex == "F"):
        problems.append(Problem("cccd_sex_century", "national_id"))
    elif birth is not None and code <= 5:
        century = 1900 + 100 * (code // 2)
        if birth.year // 100 * 100 != century or birth.year % 100 != int(value[4:6]):
            problems.append(Problem("cccd_sex_century", "national_id"))
    return problems


def person_check(
    *,
    full_name: str,
    sex: str,
    birth_date: dt.date | None,
    national_id: str = "",
    insurance_number: str = "",
    phone: str = "",
    today: dt.date,
) -> list[Problem]:
    problems: list[Problem] = []
    if sum(ch.isalpha() for ch in full_name) < 2:
        problems.append(Problem("name_invalid", "full_name"))
    if sex not in ("F", "M"):
        problems.append(Problem("required", "sex", params={"label": "giới tính"}))
    problems += not_future(birth_date, today, "birth_date", "Ngày sinh")
    problems += national_id_check(national_id, sex=sex, birth=birth_date)
    if insurance_number and not _INSURANCE.match(insurance_number.upper()):
        problems.append(
            Problem("insurance_format", "insurance_number", params={"value": insurance_number})
        )
    if phone and not _PHONE.match(re.sub(r"[\s.\-]", "", phone)):
        problems.append(Problem("phone_format", "phone", params={"value": phone}))
    return problems


def stillbirth_person_check(
    *, birth_date: dt.date | None, stillbirths: int, live_births_without_person: int
) -> list[Problem]:
    """A child registered with a mother and a date of birth on which that mother had
    ``stillbirths`` stillborn babies, while none of her live-born babies of that day
    (``live_births_without_person``) still waits for its person: most likely the stillborn
    baby registered as a person by mistake. A warning (the record is kept and flagged):
    the indicators never count such a person as a live-born child (docs/indicators.md)."""
    if birth_date is None or stillbirths <= 0 or live_births_without_person > 0:
        return []
    return [Problem("stillbirth_as_person", "birth_date", WARNING, {"value": birth_date})]


def mother_age_check(birth: dt.date | None, day: dt.date, label: str) -> list[Problem]:
    if birth is None:
        return []
    years = age_years(birth, day)
    if not 10 <= years <= 60:
        return [Problem("mother_age", "birth_date", params={"label": label, "value": years})]
    return []


# ---------------------------------------------------------------------- pregnancy

PREGNANCY_DAYS = 280


def pregnancy_dates(
    lmp: dt.date | None, edd: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """Fill the missing one of LMP and EDD (Naegele: EDD = LMP + 280 days)."""
    if lmp is None and edd is not None:
        lmp = edd - dt.timedelta(days=PREGNANCY_DAYS)
    if edd is None and lmp is not None:
        edd = lmp + dt.timedelta(days=PREGNANCY_DAYS)
    return lmp, edd


def gestational_weeks(lmp: dt.date, day: dt.date) -> int:
    return (day - lmp).days // 7


def trimester(weeks: int) -> int:
    """1: to 13 weeks 6 days; 2: 14 to 27 weeks 6 days; 3: from 28 weeks."""
    if weeks < 14:
        return 1
    if weeks < 28:
        return 2
    return 3


def pregnancy_check(
    *,
    registered_on: dt.date,
    lmp: dt.date | None,
    edd: dt.date | None,
    woman_sex: str,
    woman_birth: dt.date | None,
    today: dt.date,
) -> list[Problem]:
    problems: list[Problem] = []
    if woman_sex != "F":
        problems.append(Problem("woman_sex", "person"))
    problems += not_future(registered_on, today, "date", "Ngày đăng ký")
    problems += not_future(lmp, today, "lmp", "Ngày kinh cuối")
    if lmp is None and edd is None:
        problems.append(Problem("lmp_edd_missing", "lmp"))
    if lmp is not None and edd is not None:
        off = abs((edd - lmp).days - PREGNANCY_DAYS)
        if off > 21:
            problems.append(Problem("lmp_edd_mismatch", "edd", WARNING, {"value": off}))
    start, _ = pregnancy_dates(lmp, edd)
    if start is not None:
        if registered_on < start:
            problems.append(
                Problem(
                    "lmp_after", "date", params={"label": "Ngày đăng ký", "value": registered_on}
                )
            )
        elif (registered_on - start).days > 44 * 7:
            problems.append(Problem("lmp_too_early", "lmp", params={"value": start}))
    problems += mother_age_check(woman_birth, registered_on, "đăng ký thai")
    return problems


def antenatal_visit_check(
    *,
    day: dt.date,
    lmp: dt.date | None,
    ended_on: dt.date | None,
    today: dt.date,
) -> list[Problem]:
    problems = not_future(day, today, "date", "Ngày khám thai")
    if lmp is not None:
        if day < lmp:
            problems.append(
                Problem("lmp_after", "date", params={"label": "Ngày khám thai", "value": day})
            )
        elif gestational_weeks(lmp, day) > 45:
            problems.append(
                Problem(
                    "gestation_range",
                    "date",
                    params={"value": gestational_weeks(lmp, day), "low": 0, "high": 45},
                )
            )
    if ended_on is not None and day > ended_on:
        problems.append(
            Problem(
                "after_outcome",
                "date",
                params={"label": "Ngày khám thai", "value": day, "other": ended_on},
            )
        )
    return problems


def outcome_check(
    *, outcome_date: dt.date, lmp: dt.date | None, registered_on: dt.date, today: dt.date
) -> list[Problem]:
    problems = not_future(outcome_date, today, "outcome_date", "Ngày kết thúc thai kỳ")
    if lmp is not None and outcome_date < lmp:
        problems.append(
            Problem(
                "lmp_after",
                "outcome_date",
                params={"label": "Ngày kết thúc thai kỳ", "value": outcome_date},
            )
        )
    return problems


# ---------------------------------------------------------------------- delivery and birth

SKILLED = {"doctor", "midwife", "assistant_doctor", "nurse"}


def is_skilled(attendant: str, *, village_midwife_is_skilled: bool = False) -> bool:
    return attendant in SKILLED or (attendant == "village_midwife" and village_midwife_is_skilled)


def delivery_check(
    *,
    day: dt.date,
    lmp: dt.date | None,
    mother_birth: dt.date | None,
    mother_died_on: dt.date | None,
    place: str,
    has_facility: bool,
    today: dt.date,
) -> list[Problem]:
    problems = not_future(day, today, "date", "Ngày sinh con")
    if lmp is not None:
        if day < lmp:
            problems.append(
                Problem("lmp_after", "date", params={"label": "Ngày sinh con", "value": day})
            )
        else:
            weeks = gestational_weeks(lmp, day)
            if not 20 <= weeks <= 45:
                problems.append(
                    Problem(
                        "gestation_range", "date", params={"value": weeks, "low": 20, "high": 45}
                    )
                )
    if mother_died_on is not None and day > mother_died_on:
        problems.append(
            Problem(
                "after_death",
                "date",
                params={"label": "Ngày sinh con", "value": day, "other": mother_died_on},
            )
        )
    problems += mother_age_check(mother_birth, day, "sinh con")
    if place == "facility" and not has_facility:
        problems.append(Problem("facility_required", "facility"))
    return problems


def birth_check(*, birth_weight_g: int | None, gestational_weeks: int | None) -> list[Problem]:
    problems: list[Problem] = []
    if birth_weight_g is not None and not 300 <= birth_weight_g <= 7000:
        problems.append(
            Problem("birth_weight_range", "birth_weight_g", params={"value": birth_weight_g})
        )
    if gestational_weeks is not None and not 20 <= gestational_weeks <= 45:
        problems.append(
            Problem(
                "gestation_range",
                "gestational_weeks",
                params={"value": gestational_weeks, "low": 20, "high": 45},
            )
        )
    if (
        not problems
        and birth_weight_g is not None
        and gestational_weeks is not None
        and gestational_weeks >= 37
        and birth_weight_g < 1000
    ):
        problems.append(
            Problem(
                "birth_weight_unlikely",
                "birth_weight_g",
                WARNING,
                {"value": birth_weight_g, "other": gestational_weeks},
            )
        )
    return problems


BIRTH_DAYS_APART = 2


def birth_date_check(*, born_on: dt.date, delivered_on: dt.date, today: dt.date) -> list[Problem]:
    """A baby's own date of birth: the delivery's, or a day either side (twins either side
    of midnight); two days apart is kept with a warning, more is refused."""
    problems = not_future(born_on, today, "date", "Ngày sinh của trẻ")
    apart = abs((born_on - delivered_on).days)
    params = {"value": born_on, "other": delivered_on, "low": apart}
    if apart > BIRTH_DAYS_APART:
        problems.append(Problem("birth_date_apart", "date", params=params))
    elif apart == BIRTH_DAYS_APART:
        problems.append(Problem("birth_date_two_days", "date", WARNING, params))
    return problems


def postnatal_check(*, day: dt.date, delivered_on: dt.date, today: dt.date) -> list[Problem]:
    problems = not_future(day, today, "date", "Ngày thăm")
    if day < delivered_on:
        problems.append(
            Problem(
                "before_delivery",
                "date",
                params={"label": "Ngày thăm", "value": day, "other": delivered_on},
            )
        )
    elif (day - delivered_on).days > 42:
        problems.append(
            Problem("pnc_too_late", "date", WARNING, {"value": (day - delivered_on).days})
        )
    return problems


# ---------------------------------------------------------------------- child events


def child_event_check(
    *,
    day: dt.date,
    birth: dt.date | None,
    died_on: dt.date | None,
    today: dt.date,
    label: str,
) -> list[Problem]:
    """Any event of a child: not in the future, not before birth, not after death."""
    problems = not_future(day, today, "date", label)
    if birth is not None and day < birth:
        problems.append(
            Problem("before_birth", "date", params={"label": label, "value": day, "other": birth})
        )
    if died_on is not None and day > died_on:
        problems.append(
            Problem("after_death", "date", params={"label": label, "value": day, "other": died_on})
        )
    return problems


# One plausibility rule for a child's weight and length/height, the same in forms, API and
# import: outside these bounds the value cannot be a child's (a slip of unit: grams for
# kilograms, millimetres for centimetres) and the record is refused; inside them a value
# is judged against the child's age and sex by WHO's flags (HAZ outside -6..+6, WAZ
# outside -6..+5, WHZ/BAZ outside -5..+5, mch.growth.PLAUSIBLE): kept with the warning
# z_implausible and left out of prevalence. 152 cm and 41 cm at two years are both kept
# with that warning.
WEIGHT_KG_POSSIBLE = (0.2, 200.0)
LENGTH_CM_POSSIBLE = (20.0, 230.0)


def measurement_check(
    *, weight_kg: float | None, length_cm: float | None, muac_mm: int | None
) -> list[Problem]:
    problems: list[Problem] = []
    if weight_kg is None and length_cm is None and muac_mm is None:
        problems.append(
            Problem("required", "weight_kg", params={"label": "cân nặng hoặc chiều cao"})
        )
    for name, value, low, high, label in (
        ("weight_kg", weight_kg, *WEIGHT_KG_POSSIBLE, "Cân nặng (kg)"),
        ("length_cm", length_cm, *LENGTH_CM_POSSIBLE, "Chiều dài/cao (cm)"),
        ("muac_mm", muac_mm, 50, 300, "Vòng cánh tay (mm)"),
    ):
        if value is not None and not low <= value <= high:
            problems.append(
                Problem(
                    "range", name, params={"label": label, "value": value, "low": low, "high": high}
                )
            )
    return problems


def illness_check(*, kind: str, injury_type: str) -> list[Problem]:
    if kind == "injury" and not injury_type:
        return [Problem("injury_type_required", "injury_type")]
    return []


DIRECT_CAUSES = {"haemorrhage", "hypertensive", "sepsis", "abortion", "other_direct"}
MATERNAL_TIMING = ("pregnant", "within_42_days")
LATE_TIMING = "late"


def pregnancy_relation_on(
    day: dt.date, *, pregnant: bool, ended_on: Iterable[dt.date | None]
) -> str:
    """The timing of a woman's death from her pregnancies: pregnant (an open one), within
    42 days of the end of one, 43 days to 1 year ("late"), else "" (not known here)."""
    if pregnant:
        return "pregnant"
    gaps = [(day - end).days for end in ended_on if end is not None and end <= day]
    if not gaps:
        return ""
    gap = min(gaps)
    if gap <= 42:
        return "within_42_days"
    if gap <= 365:
        return LATE_TIMING
    return ""


def maternal_cause_default(*, pregnancy_relation: str, cause_group: str) -> str:
    """The maternal cause group a death's cause implies, for deaths in or after pregnancy."""
    if pregnancy_relation not in (*MATERNAL_TIMING, LATE_TIMING):
        return ""
    if cause_group in DIRECT_CAUSES:
        return "direct"
    if cause_group == "indirect":
        return "indirect"
    if cause_group == "injury":
        return "incidental"
    return "unknown"


def maternal_group(
    *, sex: str, pregnancy_relation: str, pregnancy_related: bool | None, maternal_cause: str
) -> str:
    """ "maternal": died while pregnant or within 42 days of the end of pregnancy, from a
    cause not accidental or incidental (unknown counts until the review says otherwise);
    "late_maternal": the same 43 days to 1 year after; "incidental": in those windows but
    accidental/incidental or recorded as not related to the pregnancy; "" otherwise."""
    if sex != "F" or pregnancy_relation not in (*MATERNAL_TIMING, LATE_TIMING):
        return ""
    if maternal_cause == "incidental" or pregnancy_related is False:
        return "incidental"
    return "maternal" if pregnancy_relation in MATERNAL_TIMING else "late_maternal"


def possible_maternal_death(*, sex: str, age: int | None, group: str) -> bool:
    """A death to notify and review as possibly maternal: a woman (of childbearing age when
    the age is known) whose death falls in the "maternal" group. An accident while
    pregnant, and late maternal deaths, are not notified as maternal deaths."""
    return sex == "F" and group == "maternal" and (age is None or 10 <= age <= 60)


def death_details_check(
    *,
    sex: str,
    age_days: int | None,
    pregnancy_relation: str,
    maternal_cause: str,
    perinatal_cause: str,
    recorded_on: dt.date | None,
    day: dt.date,
    today: dt.date,
) -> list[Problem]:
    problems: list[Problem] = []
    if sex != "F" and (pregnancy_relation or maternal_cause):
        problems.append(Problem("maternal_cause_not_woman", "pregnancy_relation"))
    elif maternal_cause and pregnancy_relation not in (*MATERNAL_TIMING, LATE_TIMING):
        problems.append(Problem("maternal_cause_not_pregnant", "maternal_cause"))
    if perinatal_cause and (
        not perinatal_cause.startswith("N") or age_days is None or age_days >= 28
    ):
        problems.append(
            Problem(
                "perinatal_cause_neonatal",
                "perinatal_cause",
                params={
                    "value": perinatal_cause,
                    "other": "thai chết lưu (tệp trẻ sinh)"
                    if not perinatal_cause.startswith("N")
                    else "tử vong sơ sinh 0–27 ngày tuổi",
                },
            )
        )
    if recorded_on is not None:
        problems += not_future(recorded_on, today, "recorded_on", "Ngày ghi nhận")
        if recorded_on < day:
            problems.append(
                Problem(
                    "recorded_before_death",
                    "recorded_on",
                    params={"value": recorded_on, "other": day},
                )
            )
    return problems


def stillbirth_cause_check(
    *, outcome: str, perinatal_cause: str, has_person: bool
) -> list[Problem]:
    problems: list[Problem] = []
    if outcome == "stillbirth" and has_person:
        problems.append(Problem("stillbirth_person", "person"))
    if perinatal_cause and (outcome != "stillbirth" or perinatal_cause.startswith("N")):
        problems.append(
            Problem(
                "perinatal_cause_neonatal",
                "perinatal_cause",
                params={
                    "value": perinatal_cause,
                    "other": "tử vong sơ sinh (tệp tử vong)"
                    if perinatal_cause.startswith("N")
                    else "thai chết lưu",
                },
            )
        )
    return problems


def death_check(
    *,
    day: dt.date,
    birth: dt.date | None,
    today: dt.date,
    cause_group: str,
    injury_type: str,
) -> list[Problem]:
    problems = child_event_check(
        day=day, birth=birth, died_on=None, today=today, label="Ngày tử vong"
    )
    if cause_group == "injury" and not injury_type:
        problems.append(Problem("injury_type_required", "injury_type"))
    return problems
