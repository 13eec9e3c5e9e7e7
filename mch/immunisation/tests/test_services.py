from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from mch.immunisation.models import Antigen, ScheduleEntry
from mch.immunisation.schedule_file import ScheduleFileError
from mch.immunisation.services import entry_values, schedule_load
from mch.immunisation.tests.conftest import day

pytestmark = pytest.mark.django_db


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def snapshot() -> list[tuple]:
    return sorted(
        (row.pk, row.antigen.code, row.dose, tuple(sorted(entry_values(row).items())))
        for row in ScheduleEntry.objects.select_related("antigen", "interval_from_antigen")
    )


def test_first_load_creates_the_national_schedule() -> None:
    summary = schedule_load()
    assert (summary.antigens_created, summary.entries_created) == (11, 23)
    assert Antigen.objects.count() == 11
    assert ScheduleEntry.objects.national().count() == 23
    dpt3 = ScheduleEntry.objects.get(antigen__code="dpt_hepb_hib", dose=3)
    assert (dpt3.min_age_days, dpt3.due_age_days, dpt3.min_interval_days) == (98, 120, 28)
    assert (dpt3.latest_age_days, dpt3.valid_from, dpt3.certainty) == (
        364,
        day("01/01/2018"),
        "confirmed",
    )
    booster = ScheduleEntry.objects.get(antigen__code="dpt_booster", dose=1)
    assert booster.interval_from == ("dpt_hepb_hib", 3)
    counted = ScheduleEntry.objects.filter(counts_for_full_immunisation=True)
    assert sorted((e.antigen.code, e.dose) for e in counted) == [
        ("bcg", 1),
        ("dpt_hepb_hib", 1),
        ("dpt_hepb_hib", 2),
        ("dpt_hepb_hib", 3),
        ("measles", 1),
        ("opv", 1),
        ("opv", 2),
        ("opv", 3),
    ]
    best = ScheduleEntry.objects.filter(certainty="best_knowledge")
    assert sorted({e.antigen.code for e in best}) == ["ipv", "rota", "tt"]
    assert Antigen.objects.get(code="tt").target_group == "pregnant_woman"
    assert Antigen.objects.get(code="dpt_hepb_hib").diseases == [
        "diphtheria",
        "pertussis",
        "tetanus",
        "hepatitis_b",
        "hib",
    ]


def test_loading_twice_changes_nothing() -> None:
    schedule_load()
    before = snapshot()
    antigens_before = list(Antigen.objects.values_list("pk", "code", "name_vi", "loaded_values"))
    summary = schedule_load()
    assert summary.writes == 0
    assert summary.unchanged == 11 + 23
    assert (summary.changed, summary.admin_edits_kept, summary.not_in_file) == ([], [], [])
    assert snapshot() == before
    assert list(Antigen.objects.values_list("pk", "code", "name_vi", "loaded_values")) == (
        antigens_before
    )


def test_an_edited_file_updates_the_rows(schedule_copy: Path) -> None:
    schedule_load(path=schedule_copy)
    measles = ScheduleEntry.objects.get(antigen__code="measles", dose=1)
    edit(
        schedule_copy,
        "    min_age_days: 273\n    due_age_days: 273\n    latest_age_days: 364\n",
        "    min_age_days: 273\n    due_age_days: 274\n    latest_age_days: 400\n",
    )
    edit(schedule_copy, 'abbreviation: "VNNB"', 'abbreviation: "VNNB (JE)"')
    summary = schedule_load(path=schedule_copy)
    assert (summary.entries_updated, summary.antigens_updated) == (1, 1)
    assert summary.changed == ["je", "measles mũi 1 (01/01/2018)"]
    measles.refresh_from_db()
    assert (measles.due_age_days, measles.latest_age_days) == (274, 400)
    assert measles.loaded_values["latest_age_days"] == 400
    assert Antigen.objects.get(code="je").abbreviation == "VNNB (JE)"
    assert schedule_load(path=schedule_copy).writes == 0


def test_a_new_entry_in_the_file_is_added_and_a_removed_one_kept(schedule_copy: Path) -> None:
    schedule_load(path=schedule_copy)
    text = schedule_copy.read_text(encoding="utf-8")
    start = text.index("  - antigen: tt\n    dose: 5\n")
    schedule_copy.write_text(
        text[:start] + text[start:].replace("valid_from: 2018-01-01", "valid_from: 2026-01-01", 1),
        encoding="utf-8",
    )
    summary = schedule_load(path=schedule_copy)
    assert summary.entries_created == 1
    assert summary.not_in_file == ["tt mũi 5 (01/01/2018)"]
    assert ScheduleEntry.objects.filter(antigen__code="tt", dose=5).count() == 2


def test_an_admin_edit_is_kept_until_the_file_changes_that_row(schedule_copy: Path) -> None:
    schedule_load(path=schedule_copy)
    bcg = ScheduleEntry.objects.get(antigen__code="bcg", dose=1)
    bcg.timely_age_days = 28
    bcg.save()
    summary = schedule_load(path=schedule_copy)
    assert summary.admin_edits_kept == ["bcg mũi 1 (01/01/2018)"]
    assert summary.writes == 0
    bcg.refresh_from_db()
    assert bcg.timely_age_days == 28
    edit(schedule_copy, "    timely_age_days: 30\n", "    timely_age_days: 31\n")
    summary = schedule_load(path=schedule_copy)
    bcg.refresh_from_db()
    assert (summary.entries_updated, bcg.timely_age_days) == (1, 31)


def test_province_rows_are_never_touched(province) -> None:
    schedule_load()
    national = ScheduleEntry.objects.get(antigen__code="rota", dose=1)
    own = ScheduleEntry.objects.create(
        antigen=national.antigen,
        dose=1,
        province=province,
        active=False,
        min_age_days=42,
        due_age_days=59,
        valid_from=day("01/01/2025"),
        legal_basis="Kế hoạch của tỉnh",
        certainty="confirmed",
    )
    summary = schedule_load()
    assert summary.writes == 0
    assert summary.not_in_file == []
    own.refresh_from_db()
    assert (own.active, own.province_id) == (False, province.pk)


def test_a_malformed_file_writes_nothing(schedule_copy: Path) -> None:
    edit(schedule_copy, "    min_age_days: 218\n", "    min_age_days: 280\n")
    edit(schedule_copy, "  - code: je\n", "  - code: JE\n")
    with pytest.raises(ScheduleFileError) as caught:
        schedule_load(path=schedule_copy)
    assert Antigen.objects.count() == 0
    assert ScheduleEntry.objects.count() == 0
    assert "schedule.yaml: ipv mũi 2: tuổi nên tiêm nhỏ hơn tuổi tối thiểu" in caught.value.errors


def test_the_command_loads_and_reports(capsys) -> None:
    call_command("load_immunisation_schedule")
    call_command("load_immunisation_schedule")
    out = capsys.readouterr().out
    assert "Dòng lịch quốc gia: 23 trong tệp, 23 mới, 0 cập nhật, 0 không đổi" in out
    assert "Dòng lịch quốc gia: 23 trong tệp, 0 mới, 0 cập nhật, 23 không đổi" in out
    assert "Vắc xin: 11 trong tệp, 0 mới, 0 cập nhật, 11 không đổi" in out
    assert out.count("Đã nạp lịch tiêm chủng.") == 2


def test_the_command_reports_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: other\n", encoding="utf-8")
    with pytest.raises(Exception, match="Lịch tiêm chủng không hợp lệ"):
        call_command("load_immunisation_schedule", file=str(bad))
