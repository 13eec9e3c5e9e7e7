"""The bundle format: one file per record type, one row per record.

This module is the single definition of the format. The importer reads it, the
exporter writes it, the synthetic generator produces it, the downloadable template and
docs/register-import.md are generated from it. Every column has an English key and a
Vietnamese header; a file may use either (case and diacritics are ignored when headers
are matched). Rows refer to each other by ``id``: the stable external ID that makes a
re-import change nothing.

Value types:
- ``text``; ``int``; ``decimal`` (decimal comma or point); ``bool`` (1/0, có/không,
  x/blank, yes/no, true/false);
- ``date`` dd/mm/yyyy (also yyyy-mm-dd); ``time`` hh:mm;
- ``choice``: the English code or the Vietnamese label (see ``CHOICES``);
- ``list``: codes separated by ``;``;
- ``ref:<file>``: the ``id`` of a row of another file (in this bundle or imported before);
- ``commune``: a 5-digit commune code, read as the commune with that code on the
  record's date (codes are reused across the 2025 reform);
- ``facility``: a facility code (docs/data-sources.md);
- ``ethnicity``: the 2-digit official code or the group's name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header_vi: str
    type: str
    required: bool = False
    choices: str = ""  # a key of CHOICES for type "choice" or "list"
    help_vi: str = ""


@dataclass(frozen=True)
class FileSpec:
    key: str  # the English file name without extension
    name_vi: str  # the Vietnamese file name without extension
    title_vi: str
    model: str  # registers model name
    columns: tuple[Column, ...]
    date_column: str = "date"  # the column whose value dates the record (communes resolve on it)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


ID = Column("id", "ma", "text", True, help_vi="Mã bản ghi ổn định (không đổi khi nhập lại)")
PERSON = Column("person_id", "ma_nguoi", "ref:persons", True, help_vi="Mã người (tệp nguoi)")
DATE = Column("date", "ngay", "date", True)
COMMUNE = Column(
    "commune",
    "ma_xa",
    "commune",
    help_vi="Xã cư trú lúc sự kiện; bỏ trống = nơi người ở vào ngày đó",
)
VILLAGE = Column("village", "thon", "text")
SERVICE_COMMUNE = Column(
    "service_commune",
    "ma_xa_dich_vu",
    "commune",
    help_vi="Xã nơi cung cấp dịch vụ; bỏ trống = đơn vị của cơ sở y tế, hoặc của người nhập",
)
FACILITY = Column(
    "facility",
    "ma_co_so",
    "facility",
    help_vi="Mã cơ sở y tế (của đơn vị mình hoặc tuyến trên)",
)
EVENT = (ID, PERSON, DATE, COMMUNE, VILLAGE, SERVICE_COMMUNE, FACILITY)

# code -> Vietnamese label, in the order forms show them.
CHOICES: dict[str, dict[str, str]] = {
    "sex": {"F": "Nữ", "M": "Nam"},
    "poverty": {"": "Không", "poor": "Hộ nghèo", "near_poor": "Hộ cận nghèo"},
    "education": {
        "": "Không rõ",
        "none": "Không đi học",
        "primary": "Tiểu học",
        "lower_secondary": "Trung học cơ sở",
        "upper_secondary": "Trung học phổ thông",
        "higher": "Cao đẳng, đại học",
    },
    "pregnancy_outcome": {
        "": "Đang mang thai",
        "live_birth": "Đẻ sống",
        "stillbirth": "Thai chết lưu",
        "miscarriage": "Sảy thai",
        "abortion": "Phá thai",
        "maternal_death": "Tử vong khi mang thai",
    },
    "risk_factor": {
        "age_under_18": "Dưới 18 tuổi",
        "age_over_35": "Trên 35 tuổi",
        "previous_caesarean": "Mổ đẻ cũ",
        "multiple_pregnancy": "Đa thai",
        "hypertension": "Tăng huyết áp",
        "diabetes": "Đái tháo đường",
        "anaemia": "Thiếu máu",
        "previous_stillbirth": "Tiền sử thai chết lưu",
        "grand_multipara": "Đẻ nhiều lần (≥ 5)",
        "short_stature": "Chiều cao < 145 cm",
        "other": "Khác",
    },
    "test_result": {"": "Chưa xét nghiệm", "negative": "Âm tính", "positive": "Dương tính"},
    "danger_sign": {
        "bleeding": "Ra máu",
        "severe_headache": "Đau đầu dữ dội",
        "blurred_vision": "Nhìn mờ",
        "convulsions": "Co giật",
        "fever": "Sốt",
        "severe_abdominal_pain": "Đau bụng dữ dội",
        "reduced_fetal_movement": "Thai máy yếu",
        "water_broke": "Vỡ ối",
        "swelling": "Phù",
    },
    "delivery_place": {
        "facility": "Tại cơ sở y tế",
        "home": "Tại nhà",
        "on_the_way": "Trên đường đi",
        "other": "Nơi khác",
    },
    "attendant": {
        "doctor": "Bác sĩ",
        "midwife": "Hộ sinh",
        "assistant_doctor": "Y sĩ",
        "nurse": "Điều dưỡng (có đào tạo hộ sinh)",
        "village_midwife": "Cô đỡ thôn bản",
        "other": "Người khác (người nhà, bà mụ)",
        "none": "Không có ai",
    },
    "delivery_mode": {
        "vaginal": "Đẻ thường",
        "assisted": "Đẻ can thiệp (forceps, giác hút)",
        "caesarean": "Mổ lấy thai",
    },
    "complication": {
        "haemorrhage": "Băng huyết",
        "eclampsia": "Sản giật / tiền sản giật nặng",
        "sepsis": "Nhiễm khuẩn",
        "obstructed_labour": "Đẻ khó",
        "ruptured_uterus": "Vỡ tử cung",
        "other": "Khác",
    },
    "mother_outcome": {
        "well": "Bình thường",
        "complication": "Có tai biến, đã xử trí",
        "referred": "Chuyển tuyến",
        "died": "Tử vong",
    },
    "birth_outcome": {"live": "Đẻ sống", "stillbirth": "Thai chết lưu"},
    "postnatal_subject": {"mother": "Mẹ", "newborn": "Trẻ sơ sinh"},
    "contact_place": {"home": "Tại nhà", "facility": "Tại cơ sở y tế"},
    "provider": {
        "": "Không rõ",
        "doctor": "Bác sĩ",
        "midwife": "Hộ sinh",
        "assistant_doctor": "Y sĩ",
        "nurse": "Điều dưỡng",
        "village_health_worker": "Nhân viên y tế thôn bản",
        "other": "Khác",
    },
    "position": {"": "Không rõ", "lying": "Nằm", "standing": "Đứng"},
    "illness_kind": {
        "pneumonia": "Viêm phổi",
        "diarrhoea": "Tiêu chảy",
        "injury": "Tai nạn thương tích",
        "other": "Bệnh khác",
    },
    "injury_type": {
        "": "—",
        "drowning": "Đuối nước",
        "traffic": "Tai nạn giao thông",
        "burn": "Bỏng",
        "poisoning": "Ngộ độc",
        "choking": "Hóc dị vật",
        "fall": "Ngã",
        "other": "Khác",
    },
    "death_place": {
        "facility": "Tại cơ sở y tế",
        "home": "Tại nhà",
        "on_the_way": "Trên đường đi",
        "other": "Nơi khác",
        "unknown": "Không rõ",
    },
    "cause_group": {
        "prematurity": "Đẻ non / nhẹ cân",
        "asphyxia": "Ngạt khi sinh",
        "neonatal_infection": "Nhiễm khuẩn sơ sinh",
        "congenital": "Dị tật bẩm sinh",
        "pneumonia": "Viêm phổi",
        "diarrhoea": "Tiêu chảy",
        "other_infection": "Nhiễm khuẩn khác",
        "malnutrition": "Suy dinh dưỡng",
        "injury": "Tai nạn thương tích",
        "haemorrhage": "Băng huyết",
        "hypertensive": "Tiền sản giật / sản giật",
        "sepsis": "Nhiễm khuẩn hậu sản",
        "abortion": "Tai biến do phá thai",
        "other_direct": "Nguyên nhân sản khoa trực tiếp khác",
        "indirect": "Nguyên nhân gián tiếp",
        "other": "Khác",
        "unknown": "Không rõ",
    },
    "pregnancy_relation": {
        "": "—",
        "pregnant": "Đang mang thai",
        "within_42_days": "Trong 42 ngày sau kết thúc thai kỳ",
        "late": "Từ 43 ngày đến 1 năm sau kết thúc thai kỳ",
        "not_pregnant": "Không mang thai trong 1 năm trước",
        "unknown": "Không rõ",
    },
    "maternal_cause": {
        "": "—",
        "direct": "Nguyên nhân sản khoa trực tiếp",
        "indirect": "Nguyên nhân gián tiếp (bệnh nặng lên do thai nghén)",
        "incidental": "Tai nạn, ngẫu nhiên (không phải tử vong mẹ)",
        "unknown": "Không rõ",
    },
    # WHO ICD-PM: A antepartum and I intrapartum (stillbirths), N neonatal (0–27 days).
    "perinatal_cause": {
        "": "—",
        "A1": "A1 Dị tật bẩm sinh, biến dạng, bất thường nhiễm sắc thể",
        "A2": "A2 Nhiễm khuẩn",
        "A3": "A3 Thiếu oxy trước chuyển dạ",
        "A4": "A4 Bệnh lý xác định khác trước chuyển dạ",
        "A5": "A5 Rối loạn liên quan đến phát triển thai",
        "A6": "A6 Chết trước chuyển dạ không rõ nguyên nhân",
        "I1": "I1 Dị tật bẩm sinh, biến dạng, bất thường nhiễm sắc thể",
        "I2": "I2 Sang chấn khi sinh",
        "I3": "I3 Biến cố cấp trong chuyển dạ",
        "I4": "I4 Nhiễm khuẩn",
        "I5": "I5 Bệnh lý xác định khác trong chuyển dạ",
        "I6": "I6 Rối loạn liên quan đến phát triển thai",
        "I7": "I7 Chết trong chuyển dạ không rõ nguyên nhân",
        "N1": "N1 Dị tật bẩm sinh, biến dạng, bất thường nhiễm sắc thể",
        "N2": "N2 Rối loạn liên quan đến phát triển thai",
        "N3": "N3 Sang chấn khi sinh",
        "N4": "N4 Biến chứng của biến cố trong chuyển dạ",
        "N5": "N5 Co giật và rối loạn não",
        "N6": "N6 Nhiễm khuẩn",
        "N7": "N7 Rối loạn hô hấp và tim mạch",
        "N8": "N8 Bệnh lý sơ sinh khác",
        "N9": "N9 Nhẹ cân và đẻ non",
        "N10": "N10 Nguyên nhân khác",
        "N11": "N11 Tử vong sơ sinh không rõ nguyên nhân",
    },
    "perinatal_maternal_condition": {
        "": "—",
        "M1": "M1 Biến chứng bánh rau, dây rốn và màng ối",
        "M2": "M2 Biến chứng của mẹ khi mang thai",
        "M3": "M3 Biến chứng khác của chuyển dạ và đẻ",
        "M4": "M4 Bệnh nội, ngoại khoa của mẹ",
        "M5": "M5 Mẹ không có bệnh lý",
    },
}

FILES: tuple[FileSpec, ...] = (
    FileSpec(
        "persons",
        "nguoi",
        "Người (phụ nữ và trẻ em)",
        "Person",
        (
            ID,
            Column("full_name", "ho_ten", "text", True),
            Column("sex", "gioi_tinh", "choice", True, "sex"),
            Column("birth_date", "ngay_sinh", "date"),
            Column("birth_date_estimated", "ngay_sinh_uoc_tinh", "bool"),
            Column("ethnicity", "dan_toc", "ethnicity"),
            Column("national_id", "cccd", "text", help_vi="12 chữ số"),
            Column("insurance_number", "so_bhyt", "text"),
            Column("phone", "dien_thoai", "text"),
            Column("commune", "ma_xa", "commune", True, help_vi="Xã cư trú hiện nay"),
            VILLAGE,
            Column("address", "dia_chi", "text"),
            Column("poverty", "ho_ngheo", "choice", choices="poverty"),
            Column("education", "hoc_van", "choice", choices="education"),
            Column("mother_id", "ma_me", "ref:persons", help_vi="Mã người của mẹ (với trẻ em)"),
            Column("registered_on", "ngay_dang_ky", "date", help_vi="Bỏ trống = ngày nhập"),
        ),
        date_column="registered_on",
    ),
    FileSpec(
        "residences",
        "noi_o",
        "Nơi ở theo thời gian (chuyển nơi ở)",
        "Residence",
        (
            PERSON,
            Column(
                "commune",
                "ma_xa",
                "commune",
                True,
                help_vi="Xã nơi người ở trong khoảng thời gian này (hiểu theo ngày bắt đầu)",
            ),
            VILLAGE,
            Column("valid_from", "tu_ngay", "date", True, help_vi="Ngày bắt đầu ở"),
            Column(
                "valid_to",
                "den_ngay",
                "date",
                help_vi="Ngày cuối cùng ở; bỏ trống = đang ở (dòng mới nhất, xã như tệp nguoi)",
            ),
        ),
        date_column="valid_from",
    ),
    FileSpec(
        "pregnancies",
        "thai_ky",
        "Quản lý thai",
        "Pregnancy",
        (
            *EVENT,
            Column("lmp", "ngay_kinh_cuoi", "date"),
            Column("edd", "ngay_du_sinh", "date"),
            Column("gravida", "so_lan_co_thai", "int"),
            Column("para", "so_lan_sinh", "int"),
            Column("risk_factors", "yeu_to_nguy_co", "list", choices="risk_factor"),
            Column("outcome", "ket_thuc", "choice", choices="pregnancy_outcome"),
            Column("outcome_date", "ngay_ket_thuc", "date"),
        ),
    ),
    FileSpec(
        "antenatal_visits",
        "kham_thai",
        "Khám thai",
        "AntenatalVisit",
        (
            *EVENT,
            Column("pregnancy_id", "ma_thai_ky", "ref:pregnancies", True),
            Column("weight_kg", "can_nang_kg", "decimal"),
            Column("bp_systolic", "huyet_ap_tam_thu", "int"),
            Column("bp_diastolic", "huyet_ap_tam_truong", "int"),
            Column("iron_tablets", "vien_sat", "int"),
            Column("mmn_tablets", "vien_da_vi_chat", "int"),
            Column("tetanus_dose", "mui_uon_van", "int"),
            Column("hiv_test", "xn_hiv", "choice", choices="test_result"),
            Column("syphilis_test", "xn_giang_mai", "choice", choices="test_result"),
            Column("hepb_test", "xn_viem_gan_b", "choice", choices="test_result"),
            Column("preeclampsia_screened", "sang_loc_tien_san_giat", "bool"),
            Column("danger_signs", "dau_hieu_nguy_hiem", "list", choices="danger_sign"),
        ),
    ),
    FileSpec(
        "deliveries",
        "de",
        "Đẻ",
        "Delivery",
        (
            *EVENT,
            Column("pregnancy_id", "ma_thai_ky", "ref:pregnancies"),
            Column("time", "gio", "time"),
            Column("place", "noi_de", "choice", True, "delivery_place"),
            Column("attendant", "nguoi_do", "choice", True, "attendant"),
            Column("mode", "cach_de", "choice", choices="delivery_mode"),
            Column("complications", "tai_bien", "list", choices="complication"),
            Column("mother_outcome", "tinh_trang_me", "choice", choices="mother_outcome"),
        ),
    ),
    FileSpec(
        "births",
        "tre_sinh",
        "Trẻ sinh ra",
        "Birth",
        (
            ID,
            Column("delivery_id", "ma_de", "ref:deliveries", True),
            Column("person_id", "ma_nguoi", "ref:persons", help_vi="Mã người của trẻ (đẻ sống)"),
            Column("outcome", "ket_qua", "choice", True, "birth_outcome"),
            Column(
                "date",
                "ngay_sinh",
                "date",
                help_vi="Ngày sinh của trẻ; bỏ trống = ngày đẻ (song thai sinh hai bên nửa đêm)",
            ),
            Column("time", "gio_sinh", "time", help_vi="Giờ sinh; bỏ trống = giờ đẻ"),
            Column("sex", "gioi_tinh", "choice", choices="sex"),
            Column("birth_order", "thu_tu", "int"),
            Column("birth_weight_g", "can_nang_g", "int"),
            Column("gestational_weeks", "tuoi_thai_tuan", "int"),
            Column("eenc_dried", "lau_kho_ngay", "bool"),
            Column("eenc_skin_to_skin", "da_ke_da_90_phut", "bool"),
            Column("eenc_cord_delayed", "kep_cat_day_ron_muon", "bool"),
            Column("eenc_breastfed_1h", "bu_me_trong_1_gio", "bool"),
            Column("vitamin_k1", "vitamin_k1", "bool"),
            Column("hepb_birth_24h", "vgb_so_sinh_24_gio", "bool"),
            Column("kangaroo_care", "cham_soc_kangaroo", "bool"),
            Column(
                "perinatal_cause",
                "nguyen_nhan_chu_sinh",
                "choice",
                choices="perinatal_cause",
                help_vi="Thai chết lưu: nhóm ICD-PM A (trước chuyển dạ) hoặc I (trong chuyển dạ)",
            ),
            Column(
                "perinatal_maternal_condition",
                "benh_ly_me_chu_sinh",
                "choice",
                choices="perinatal_maternal_condition",
            ),
        ),
        date_column="",
    ),
    FileSpec(
        "postnatal_contacts",
        "cham_soc_sau_sinh",
        "Chăm sóc sau sinh",
        "PostnatalContact",
        (
            *EVENT,
            Column("delivery_id", "ma_de", "ref:deliveries", True),
            Column("subject", "doi_tuong", "choice", True, "postnatal_subject"),
            Column("place", "noi_cham_soc", "choice", True, "contact_place"),
            Column("provider", "nguoi_cham_soc", "choice", choices="provider"),
        ),
    ),
    FileSpec(
        "checkups",
        "kham_dinh_ky",
        "Khám sức khỏe định kỳ trẻ em",
        "CheckUp",
        (
            *EVENT,
            Column("has_health_record", "co_ho_so_suc_khoe", "bool"),
            Column("exclusive_breastfeeding", "bu_me_hoan_toan", "bool"),
            Column("continued_breastfeeding", "con_bu_me", "bool"),
            Column("vitamin_a", "vitamin_a", "bool"),
            Column("note", "ghi_chu", "text"),
        ),
    ),
    FileSpec(
        "growth",
        "can_do",
        "Cân đo trẻ em",
        "GrowthMeasurement",
        (
            *EVENT,
            Column("weight_kg", "can_nang_kg", "decimal"),
            Column("length_cm", "chieu_cao_cm", "decimal"),
            Column("position", "tu_the_do", "choice", choices="position"),
            Column("muac_mm", "vong_canh_tay_mm", "int"),
            Column("oedema", "phu", "bool"),
        ),
    ),
    FileSpec(
        "immunisations",
        "tiem_chung",
        "Tiêm chủng",
        "Immunisation",
        (
            *EVENT,
            Column("antigen", "vac_xin", "text", True, help_vi="Mã vắc xin theo lịch (bcg, opv…)"),
            Column("dose", "mui", "int", True),
            Column("is_epi", "tiem_chung_mo_rong", "bool", help_vi="Bỏ trống = có"),
            Column("lot", "so_lo", "text"),
        ),
    ),
    FileSpec(
        "illnesses",
        "benh_tai_nan",
        "Bệnh và tai nạn thương tích",
        "Illness",
        (
            *EVENT,
            Column("kind", "loai", "choice", True, "illness_kind"),
            Column("severe", "nang", "bool"),
            Column("antibiotic", "khang_sinh", "bool"),
            Column("ors", "oresol", "bool"),
            Column("zinc", "kem", "bool"),
            Column("injury_type", "loai_tai_nan", "choice", choices="injury_type"),
            Column("note", "ghi_chu", "text"),
        ),
    ),
    FileSpec(
        "deaths",
        "tu_vong",
        "Tử vong",
        "Death",
        (
            *EVENT,
            Column("place", "noi_tu_vong", "choice", True, "death_place"),
            Column("cause_group", "nhom_nguyen_nhan", "choice", choices="cause_group"),
            Column("injury_type", "loai_tai_nan", "choice", choices="injury_type"),
            Column("cause_text", "nguyen_nhan", "text"),
            Column(
                "pregnancy_relation",
                "lien_quan_thai_san",
                "choice",
                choices="pregnancy_relation",
                help_vi="Phụ nữ: bỏ trống = tính từ thai kỳ (đang mang thai, trong 42 ngày, 43 ngày–1 năm)",
            ),
            Column(
                "pregnancy_related",
                "do_thai_nghen",
                "bool",
                help_vi="Tử vong do thai nghén hoặc bệnh nặng lên do thai nghén (bỏ trống = chưa rõ)",
            ),
            Column(
                "maternal_cause",
                "nhom_nguyen_nhan_me",
                "choice",
                choices="maternal_cause",
                help_vi="Bỏ trống = theo nhóm nguyên nhân (tai nạn thương tích = ngẫu nhiên)",
            ),
            Column(
                "perinatal_cause",
                "nguyen_nhan_chu_sinh",
                "choice",
                choices="perinatal_cause",
                help_vi="Tử vong sơ sinh 0–27 ngày: nhóm ICD-PM N1–N11",
            ),
            Column(
                "perinatal_maternal_condition",
                "benh_ly_me_chu_sinh",
                "choice",
                choices="perinatal_maternal_condition",
            ),
            Column(
                "recorded_on",
                "ngay_ghi_nhan",
                "date",
                help_vi="Ngày ghi vào sổ; bỏ trống = ngày nhập",
            ),
        ),
    ),
)

BY_KEY: dict[str, FileSpec] = {spec.key: spec for spec in FILES}
# Import order: a row may only refer to files earlier in this order.
ORDER: tuple[str, ...] = tuple(spec.key for spec in FILES)


def file_spec(name: str) -> FileSpec | None:
    """The spec for a file name in English or Vietnamese (extension ignored)."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    for spec in FILES:
        if stem in (spec.key, spec.name_vi):
            return spec
    return None
