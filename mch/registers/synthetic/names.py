"""Vietnamese personal names for synthetic people, built from family, middle and given names.

The Kinh family names carry their approximate shares in the population (Nguyễn about 38%,
Trần 11%, Lê 9.5%, …, as commonly cited from census-based studies); the other lists are
plain choices. Ethnic-minority family names follow the groups' common names (Mông: Giàng,
Sùng, Thào…; Ê Đê: Niê, Mlô, Êban…; Raglay: Pi Năng, Katơr, Chamaléa…). Names are built,
never copied from records of real people.
"""

from __future__ import annotations

import numpy as np

KINH_FAMILY: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 3.0),
    ("Huỳnh", 2.1),
    ("Phan", 4.5),
    ("Vũ", 2.0),
    ("Võ", 2.0),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đào", 0.5),
    ("Đoàn", 0.5),
    ("Trương", 0.5),
    ("Lâm", 0.4),
    ("Mai", 0.4),
    ("Trịnh", 0.4),
    ("Cao", 0.3),
    ("Tạ", 0.2),
    ("Lương", 0.3),
    ("Châu", 0.2),
    ("Tô", 0.2),
    ("Hà", 0.3),
    ("Kiều", 0.1),
    ("Thái", 0.2),
)

# Family names by ethnic group (official code, mch.registers.ethnicities).
MINORITY_FAMILY: dict[str, tuple[str, ...]] = {
    "02": ("Hoàng", "Nông", "Lường", "Ma", "Hà", "Lộc", "Triệu"),  # Tày
    "03": ("Lò", "Lường", "Cầm", "Quàng", "Vi", "Hà", "Tòng"),  # Thái
    "04": ("Lâm", "Trương", "Lý", "Quách", "Diệp", "Hứa"),  # Hoa
    "05": ("Thạch", "Danh", "Sơn", "Kim", "Lâm", "Chau"),  # Khmer
    "06": ("Bùi", "Đinh", "Quách", "Hà", "Xa"),  # Mường
    "07": ("Nông", "Hoàng", "Lương", "Vi", "Mông", "Chu"),  # Nùng
    "08": ("Giàng", "Sùng", "Thào", "Vàng", "Hầu", "Mùa", "Sình", "Lý"),  # Mông
    "09": ("Triệu", "Bàn", "Đặng", "Lý", "Phùng", "Chảo"),  # Dao
    "10": ("Rơ Châm", "Ksor", "Siu", "Rơ Mah", "Nay", "Kpă"),  # Gia Rai
    "12": ("Niê", "Mlô", "Êban", "Hmok", "Ksơr", "Byă", "Adrơng"),  # Ê Đê
    "13": ("Đinh", "Y", "A"),  # Ba Na
    "16": ("K'", "Ka", "Bon", "Liêng", "Kơ Sa", "Cil"),  # Cơ Ho
    "17": ("Thiên Sanh", "Đàng", "Quảng", "Châu", "Thổ", "Báo"),  # Chăm
    "18": ("Diệp", "Lục", "Tạ", "Lam"),  # Sán Dìu
    "15": ("La", "Hoàng", "Lâm", "Lục"),  # Sán Chay
    "20": ("Điểu", "Y", "H'"),  # Mnông
    "21": ("Pi Năng", "Katơr", "Chamaléa", "Mấu", "Bo Bo", "Cao"),  # Raglay
    "25": ("Hoàng", "Lù", "Sần", "Vàng"),  # Giáy
    "28": ("K'", "Điểu", "Ka"),  # Mạ
    "35": ("Lý", "Pờ", "Chu", "Phu"),  # Hà Nhì
    "36": ("Ya", "Ma", "Touneh", "Bơ Nahria"),  # Chu Ru
}

FEMALE_MIDDLE: tuple[str, ...] = (
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Minh",
    "Bảo",
    "Khánh",
    "Phương",
    "Mai",
    "Hồng",
)
FEMALE_MIDDLE += ("Kim", "Hoài", "Thùy", "Diệu", "Tú", "Quỳnh", "Gia", "Hà", "Yến", "Như")
MALE_MIDDLE: tuple[str, ...] = (
    "Văn",
    "Minh",
    "Đức",
    "Quốc",
    "Gia",
    "Hoàng",
    "Anh",
    "Thành",
    "Hữu",
    "Công",
)
MALE_MIDDLE += ("Bảo", "Đăng", "Tuấn", "Nhật", "Trung", "Thanh", "Quang", "Hải", "Xuân", "Phúc")
FEMALE_GIVEN = (
    "Lan",
    "Hương",
    "Hoa",
    "Mai",
    "Linh",
    "Trang",
    "Hà",
    "Thảo",
    "Ngọc",
    "Anh",
    "Phương",
    "Nhung",
    "Hằng",
    "Yến",
    "Vy",
    "Nhi",
    "Chi",
    "Giang",
    "Hạnh",
    "Huyền",
    "Oanh",
    "Quyên",
    "Trâm",
    "Tuyết",
    "Uyên",
    "Vân",
    "Xuân",
    "Diệp",
    "Hiền",
    "Loan",
    "Ly",
    "My",
    "Nga",
    "Ngân",
    "Nhàn",
    "Như",
    "Quỳnh",
    "Thủy",
    "Thư",
    "Trinh",
    "Tú",
    "Dung",
    "Duyên",
    "Hậu",
    "Lệ",
    "Liên",
    "Nguyệt",
    "Phượng",
    "Sương",
    "Thơm",
    "Tâm",
    "Trúc",
    "An",
    "Bích",
    "Châu",
    "Diễm",
    "Hòa",
    "Khánh",
    "Lụa",
    "Mơ",
)
MALE_GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Duy",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Huy",
    "Hùng",
    "Khang",
    "Khánh",
    "Khoa",
    "Kiên",
    "Lâm",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thịnh",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Vũ",
    "Bảo",
    "Đức",
    "Gia Huy",
    "Hưng",
    "Lộc",
    "Nhân",
    "Phát",
    "Tín",
    "Toàn",
    "Trí",
    "Tùng",
    "Khôi",
    "Kiệt",
    "Luân",
    "Thành",
    "Thiện",
    "Tiến",
)


class NameMaker:
    """Draws names for many people at once with a NumPy generator."""

    def __init__(self) -> None:
        families = [name for name, _ in KINH_FAMILY]
        shares = np.array([share for _, share in KINH_FAMILY])
        self.kinh_family = np.array(families, dtype=object)
        self.kinh_p = shares / shares.sum()
        self.minority_family = {
            code: np.array(names, dtype=object) for code, names in MINORITY_FAMILY.items()
        }
        self.female_middle = np.array(FEMALE_MIDDLE, dtype=object)
        self.male_middle = np.array(MALE_MIDDLE, dtype=object)
        self.female_given = np.array(FEMALE_GIVEN, dtype=object)
        self.male_given = np.array(MALE_GIVEN, dtype=object)

    def family(self, rng: np.random.Generator, ethnicity: np.ndarray) -> np.ndarray:
        """A family name for each ethnic code (Kinh names for unlisted groups)."""
        names = self.kinh_family[
            rng.choice(len(self.kinh_family), size=len(ethnicity), p=self.kinh_p)
        ]
        for code in np.unique(ethnicity):
            pool = self.minority_family.get(str(code))
            if pool is None:
                continue
            where = np.flatnonzero(ethnicity == code)
            names[where] = pool[rng.integers(0, len(pool), size=len(where))]
        return names

    def full(
        self,
        rng: np.random.Generator,
        family: np.ndarray,
        male: np.ndarray,
        birth_year: np.ndarray,
    ) -> list[str]:
        """Family + middle + given. Older women more often carry the middle name Thị."""
        n = len(family)
        thi_share = np.clip(0.85 - (birth_year - 1975) * 0.015, 0.2, 0.85)
        female_middle = np.where(
            rng.random(n) < thi_share,
            "Thị",
            self.female_middle[rng.integers(1, len(self.female_middle), size=n)],
        )
        middle = np.where(
            male, self.male_middle[rng.integers(0, len(self.male_middle), size=n)], female_middle
        )
        given = np.where(
            male,
            self.male_given[rng.integers(0, len(self.male_given), size=n)],
            self.female_given[rng.integers(0, len(self.female_given), size=n)],
        )
        return [
            f"{f} {m} {g}"
            for f, m, g in zip(family.tolist(), middle.tolist(), given.tolist(), strict=True)
        ]
