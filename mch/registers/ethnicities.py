"""Vietnam's 54 ethnic groups with their official codes.

Source: the General Statistics Office's list of ethnic groups (Danh mục các dân tộc Việt
Nam, Quyết định 121-TCTK/PPCĐ, 02/03/1979), used by the population censuses; code 55 is
the census code for foreigners. No maintained Python package carries this list, so it is
kept here (docs/data-sources.md). Ethnicity is sensitive personal data (Law 91/2025/QH15).
"""

from __future__ import annotations

KINH = "01"

ETHNICITIES: tuple[tuple[str, str], ...] = (
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khmer"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "Mông"),
    ("09", "Dao"),
    ("10", "Gia Rai"),
    ("11", "Ngái"),
    ("12", "Ê Đê"),
    ("13", "Ba Na"),
    ("14", "Xơ Đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ Ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Raglay"),
    ("22", "Xtiêng"),
    ("23", "Bru - Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ Tu"),
    ("27", "Giẻ Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ Mú"),
    ("30", "Co"),
    ("31", "Tà Ôi"),
    ("32", "Chơ Ro"),
    ("33", "Kháng"),
    ("34", "Xinh Mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu Ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cơ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ Măm"),
    ("55", "Người nước ngoài"),
)

NAMES: dict[str, str] = dict(ETHNICITIES)


def ethnicity_name(code: str) -> str:
    return NAMES.get(code, "")


def is_minority(code: str) -> bool | None:
    """None when unknown; foreigners (55) are not counted as an ethnic minority."""
    if not code:
        return None
    return code not in (KINH, "55")
