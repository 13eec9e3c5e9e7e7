from __future__ import annotations

import pytest

from mch.mpdsr import registry, services
from mch.mpdsr.models import FormsVersion


def test_the_shipped_forms_file_is_valid() -> None:
    spec = registry.load_forms_file()
    assert spec.mm_kind("3") == "direct" and spec.mm_kind("9") == "coincidental"
    assert spec.level_minutes("hospital") == 10
    assert ("3.blood", "3 · Thiếu máu, chế phẩm máu") in spec.factor_choices()
    assert spec.codes("review_methods") == {
        "verbal_autopsy",
        "facility_review",
        "confidential_enquiry",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("kind: direct, name_vi", "kind: maybe, name_vi", 1), "kind phải là một trong"),
        (("code: pph", "code: eclampsia", 1), "mã 'eclampsia' xuất hiện hai lần"),
        (("minutes: 5", "minutes: -5", 1), "minutes phải là số phút dương"),
        (("format: mch-mpdsr/1", "format: x", 1), "format phải là mch-mpdsr/1"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_problem(change, message) -> None:
    text = registry.FORMS_FILE.read_text(encoding="utf-8").replace(*change)
    with pytest.raises(registry.FormsError) as exc:
        registry.parse_forms(text)
    assert any(message in error for error in exc.value.errors)


def test_loading_is_versioned_and_idempotent(db, tmp_path) -> None:
    first = services.forms_load()
    assert services.forms_load().pk == first.pk
    edited = tmp_path / "mpdsr.yaml"
    text = registry.FORMS_FILE.read_text(encoding="utf-8")
    edited.write_text(text.replace("minutes: 10", "minutes: 15"), encoding="utf-8")
    second = services.forms_load(path=edited)
    assert (first.number, second.number, FormsVersion.objects.count()) == (1, 2, 2)
    assert services.forms_current()[1].level_minutes("hospital") == 15
