"""The downloadable template (one sheet per file) and docs/register-import.md, both made
from ``spec`` so they cannot drift from what the importer reads.

    python -m mch.registers.bundle.template > docs/register-import.md
"""

from __future__ import annotations

import io
import sys

from mch.registers.ethnicities import ETHNICITIES

from .spec import CHOICES, FILES, Column, FileSpec

TYPE_HELP = {
    "text": "chữ",
    "int": "số nguyên",
    "decimal": "số, dấu phẩy thập phân (3,5)",
    "bool": "có / không (cũng nhận x, 1, 0)",
    "date": "ngày dd/mm/yyyy",
    "time": "giờ hh:mm",
    "choice": "một giá trị trong danh mục (mã hoặc nhãn tiếng Việt)",
    "list": "các giá trị trong danh mục, cách nhau bằng dấu ;",
    "commune": "mã xã 5 chữ số (hiểu theo ngày của bản ghi)",
    "facility": "mã cơ sở y tế",
    "ethnicity": "mã dân tộc 2 chữ số hoặc tên dân tộc",
}
TYPE_EN = {
    "text": "text",
    "int": "whole number",
    "decimal": "number, decimal comma or point",
    "bool": "yes/no (có/không, x, 1/0)",
    "date": "date dd/mm/yyyy (or yyyy-mm-dd)",
    "time": "time hh:mm",
    "choice": "one code or Vietnamese label",
    "list": "codes or labels separated by ;",
    "commune": "5-digit commune code, read on the record's date",
    "facility": "facility code",
    "ethnicity": "2-digit code or name",
}

GUIDE = [
    "Mẫu nhập sổ: mỗi trang tính là một tệp, mỗi dòng là một bản ghi.",
    "Dòng 1 là tên cột (tiếng Việt như mẫu, hoặc khóa tiếng Anh); rê chuột vào tên cột để xem hướng dẫn.",
    "Cột 'ma' là mã ổn định của bản ghi: nhập lại cùng tệp không tạo bản ghi mới; "
    "giá trị khác thì cập nhật và được ghi nhật ký.",
    "Các tệp tham chiếu nhau bằng mã: ma_nguoi (tệp nguoi), ma_thai_ky (tệp thai_ky), ma_de (tệp de). "
    "Mã có thể là bản ghi trong cùng lần nhập hoặc đã có trong sổ.",
    "Ngày ghi dd/mm/yyyy; số thập phân dùng dấu phẩy; có/không ghi 'có', 'không' hoặc 'x'.",
    "Mã xã là mã 5 chữ số, hiểu theo ngày của bản ghi (mã xã trước và sau 01/07/2025 có thể trùng).",
    "Mọi dòng được kiểm tra trước khi lưu. Có lỗi thì không lưu gì, trừ khi chọn "
    "'Nhập các dòng hợp lệ, bỏ qua dòng lỗi'.",
    "Có thể nhập tệp .xlsx này, từng tệp .csv (UTF-8, dấu phẩy hoặc chấm phẩy), hoặc một tệp .zip gồm các tệp .csv.",
    "Các trang không cần dùng có thể để trống hoặc xóa. Trang 'Danh mục' liệt kê các giá trị được phép.",
]


def column_help(column: Column) -> str:
    parts = [TYPE_HELP.get(column.type, "mã của tệp " + column.type.split(":", 1)[-1])]
    if column.type.startswith("ref:"):
        parts = [f"mã trong tệp {_file(column.type.split(':', 1)[1]).name_vi}"]
    if column.required:
        parts.insert(0, "Bắt buộc")
    if column.help_vi:
        parts.append(column.help_vi)
    if column.choices:
        values = [label for code, label in CHOICES[column.choices].items() if code]
        parts.append("Giá trị: " + "; ".join(values))
    return ". ".join(parts) + "."


def _file(key: str) -> FileSpec:
    return next(spec for spec in FILES if spec.key == key)


def template_workbook() -> bytes:
    """The template as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    guide = book.active
    guide.title = "Hướng dẫn"
    guide["A1"] = "HƯỚNG DẪN NHẬP SỔ"
    guide["A1"].font = Font(bold=True, size=14)
    for index, line in enumerate(GUIDE, start=3):
        guide.cell(row=index, column=1, value=f"{index - 2}. {line}")
    row = len(GUIDE) + 4
    guide.cell(row=row, column=1, value="Các trang (tệp)").font = Font(bold=True)
    for spec in FILES:
        row += 1
        guide.cell(row=row, column=1, value=f"{spec.name_vi} — {spec.title_vi} ({spec.key})")
    guide.column_dimensions["A"].width = 120

    lists = book.create_sheet("Danh mục")
    ranges: dict[str, str] = {}
    names = [*CHOICES, "ethnicity"]
    for position, name in enumerate(names, start=1):
        letter = get_column_letter(position)
        lists.cell(row=1, column=position, value=name).font = Font(bold=True)
        if name == "ethnicity":
            labels = [label for _code, label in ETHNICITIES]
        else:
            labels = [label for code, label in CHOICES[name].items() if code]
        for offset, label in enumerate(labels, start=2):
            lists.cell(row=offset, column=position, value=label)
        ranges[name] = f"'Danh mục'!${letter}$2:${letter}${len(labels) + 1}"
        lists.column_dimensions[letter].width = 28

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    for spec in FILES:
        sheet = book.create_sheet(spec.name_vi)
        for position, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(row=1, column=position, value=column.header_vi)
            cell.font = Font(bold=True)
            cell.fill = required_fill if column.required else header_fill
            cell.alignment = Alignment(vertical="top")
            cell.comment = Comment(
                f"{column.key}: {column_help(column)}", "MCH", width=320, height=140
            )
            letter = get_column_letter(position)
            sheet.column_dimensions[letter].width = max(12, len(column.header_vi) + 4)
            target = f"{letter}2:{letter}5000"
            if column.type in ("text", "commune", "facility") or column.type.startswith("ref:"):
                for row_number in range(2, 202):
                    sheet.cell(row=row_number, column=position).number_format = "@"
            if column.type == "date":
                for row_number in range(2, 202):
                    sheet.cell(row=row_number, column=position).number_format = "DD/MM/YYYY"
            source = column.choices if column.type == "choice" else ""
            if column.type == "ethnicity":
                source = "ethnicity"
            if source:
                check = DataValidation(type="list", formula1=f"={ranges[source]}", allow_blank=True)
                check.error = "Chọn một giá trị trong danh mục."
                check.showErrorMessage = False  # codes are accepted too
                sheet.add_data_validation(check)
                check.add(target)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


DOC_HEADER = """# Register import and export (bundle format)

Generated from `mch/registers/bundle/spec.py` by
`python -m mch.registers.bundle.template > docs/register-import.md`; do not edit by hand
(a test checks it is current).

A **bundle** is one file per record type, one row per record. It can be a folder or a
`.zip` of CSV files, a single CSV file, or one `.xlsx` workbook with one sheet per file
(the template: `mch registers_template -o mau.xlsx`, or *Tải mẫu nhập* on the import page).
File and sheet names, and column headers, may be the Vietnamese names or the English keys
below; case, diacritics, spaces and hyphens are ignored ("Mã người" = `ma_nguoi` =
`person_id`). CSV files are UTF-8 (with or without BOM), separated by commas or
semicolons. Columns may come in any order; optional columns may be left out.

## Import

    mch import_registers PATH [--keep-valid] [--user USERNAME] [--background]

or *Nhập sổ* in the web interface (province officers and commune staff). Every row is
parsed and checked with the registers' own rules (`mch/registers/rules.py`) and write
scope (`mch/registers/services/write_scope.py`), the same the forms and the API use: a row
about a person living outside the user's units, or naming a commune of residence, a service
commune or a facility the user may not name, is refused.
Each rejected row is reported with its file, row number (as in the spreadsheet), column
and the reason in Vietnamese. **If any row is rejected nothing is saved**, unless the user
chooses to import the valid rows (`--keep-valid`, *Nhập các dòng hợp lệ, bỏ qua dòng
lỗi*); a row that refers to a rejected row (a visit of a rejected pregnancy) is then
rejected too, naming it. A file whose names or headers cannot be read is refused whole.

**Stable IDs.** `id` (`ma`) is the record's external ID. A row whose ID is already stored
with the same values is left unchanged, so importing the same file again changes nothing;
a row with different values updates the record, and the update is audited with the
changed columns. References (`person_id`, `pregnancy_id`, `delivery_id`, `mother_id`)
name a row of the same bundle or a record stored before.

**Communes through time.** Commune codes were reused by the 2025 reform, so a code is
read as the commune with that code on the record's date (`date`; for people the
registration date, else the import date). An empty commune on an event means where the
person lived on the event's date; an empty service commune, the facility's unit, else the
importing user's (as the forms derive them). An empty facility is no facility.

**Residence history** (`noi_o`). A person's rows there are her whole history and replace
the stored one. Events take the commune she lived in on their dates. When a stored history
changes (this file, or a move recorded on the person's page from a past date), her stored
events follow it: an event stored with the commune the old history gave on its date takes
the one the new history gives (with that commune's classification on the date), audited
with the changed columns; an event recorded with some other commune keeps it. The stored
indicator cells of both communes are recomputed.

**Derived values** are computed as the forms compute them: the groups snapshot (ethnicity,
the commune's classification on the date), gestational weeks and trimester of visits, the
pregnancy's visit summary, skilled attendance (provincial setting for village midwives),
the pregnancy closed by its delivery, births per delivery, WHO z-scores and nutrition
status of measurements, the immunisation schedule's flags on doses, age group and possible
maternal death, and the person's date of death. Warnings are kept on the record as flags.

Differences from the forms: a live birth without `person_id` gets no child record (add the
child to `nguoi` and name it); likely-duplicate people (same name and date of birth) are
not asked about.

**Where it runs.** The page queues the import for the job worker (`mch worker`, started
by `scripts/start.sh` beside the web server; `mch.jobs`), so it goes on when the web server
restarts or the browser is closed. `mch import_registers` imports in the command itself,
or queues it with `--background` (then `mch jobs ID --follow` shows its progress).

**Progress** is one figure per import that never goes back, with its phase: *đọc tệp*
(reading), *kiểm tra* (rows checked) and *ghi* (rows written; on PostgreSQL writing starts
while the last files are still checked). The worker stores it in the database, so the page
(polling every second), `mch jobs` and any other process read the same figure.

**A stopped import saves nothing.** The import writes in one transaction: if the worker is
killed or its machine restarts, the transaction is rolled back, the job and its batch are
marked *không hoàn thành* (as soon as another process looks, at most a minute later), and
*Nhập lại tệp này* on the batch's page, or `mch jobs ID --retry`, runs it again on the same
file.

## Speed and memory

`bench/registers_import.py` imports a synthetic province's registers (about 100,000 rows
of every file, from `mch.registers.synthetic`) with every check, into SQLite or PostgreSQL
(`DATABASE_URL=…`), then imports them again (all unchanged). What makes it fast: cells are
parsed a column at a time; stored records, communes, facilities and the immunisation
schedule are read with a few queries per chunk; growth z-scores are computed for all
measurements of a chunk at once; new rows get their ids before they are written and go in
with one `executemany` per chunk (SQLite) or binary `COPY` (PostgreSQL, from a second
thread on the same transaction while the next files are still being checked: a rejected
row in all-or-nothing mode rolls it back). On PostgreSQL about two thirds of the server's
work per row are the foreign-key checks (six per care event). An XLSX workbook reads about
four times slower than CSV (openpyxl, read-only mode), so large imports are best sent as a
`.zip` of CSV files.

**Memory.** The files other rows refer to (people, pregnancies, visits, deliveries, births,
deaths) are held whole while the bundle is checked, about 3 KB a row. The files no row
refers to — postnatal contacts, check-ups, measurements, doses, illnesses: most of a
province's rows — are *streamed*: CSV is read as a stream, and a file of more than 40,000
rows is spread, as it is read, over chunk files in a temporary folder, by person (the
checks of a child's doses see all that child's doses together). Each chunk of about
40,000 rows is parsed, looked up, checked and handed on, then let go: on PostgreSQL its new
rows go to the insert thread (a queue of at most four chunks), on SQLite they wait in
another temporary file until the writing transaction reads them back a frame at a time;
changed rows and their audit entries are written a frame at a time too. An ID repeated in
two chunks is found by its hash (8 bytes a row). Atomicity is unchanged: everything is
still written in one transaction, so a failed or rejected import leaves nothing; what
changed is that the rows waiting for it are on disk, not in memory (SQLite: the temporary
file is the staging area; PostgreSQL: the transaction itself). With `DJANGO_DEBUG=1` the
query log is emptied after each chunk.

| bundle (`mch generate_registers --synthetic --communes 200 --seed 1 --error-rate 0`) | rows | before: peak RSS, time | now: peak RSS, time |
|---|---|---|---|
| 2,000 births/year × 3 years (5,823 births) | 194,828 | 768 MB, 14.9 s | 475 MB, 48.9 s (machine busy) |
| 5,000 births/year × 10 years (49,956 births) | 2,156,928 | 7.23 GB, 3 min 08 s | 1.64 GB, 3 min 42 s |

250,000 births (10.8 million rows): 7.0 GB while checking (was 22.6 GB, out of memory); see bench/README.md.
SQLite, `mch import_registers DIR` under `/usr/bin/time -v` ("Maximum resident set
size"), 07/12/2026, 2 cores shared with other work. What is left growing is the held files:
about 3 KB per person, pregnancy, visit, delivery and birth (250,000 births: about 2.4
million such rows); streaming the visits the same way (by person) is the next step.

## Export

    mch export_registers FILE_KEY --user USERNAME [--format csv|xlsx] [-o OUT] [--unit ID] [--from dd/mm/yyyy --to dd/mm/yyyy] [--english]

or the *Xuất* links of the web interface. `FILE_KEY` is a file key below, or `all` (a `.zip`
of CSV files, or one workbook). Only users who may see identifiable records, only people
in their units; every export is logged in the audit trail. The export writes this same
format (Vietnamese headers and labels, dd/mm/yyyy, decimal comma, `;` between CSV columns
— English keys and codes with `--english`), so it imports back unchanged. A record entered
through a form gets the external ID `mch-<number>` on its first export.

## Value types

| type | written as |
|---|---|
"""


def render_docs() -> str:
    out = [DOC_HEADER]
    for kind, text in TYPE_EN.items():
        out.append(f"| `{kind}` | {text} — {TYPE_HELP[kind]} |\n")
    out.append("| `ref:<file>` | the `id` of a row of that file (this bundle or stored) |\n")
    out.append("\n## Files\n")
    for spec in FILES:
        out.append(f"\n### `{spec.name_vi}` / `{spec.key}` — {spec.title_vi}\n\n")
        if spec.date_column:
            out.append(f"Date of the record: `{spec.date_column}`.\n\n")
        out.append("| Vietnamese header | English key | type | required | notes |\n")
        out.append("|---|---|---|---|---|\n")
        for column in spec.columns:
            notes = column.help_vi
            if column.choices:
                notes = (notes + " " if notes else "") + f"see `{column.choices}`"
            out.append(
                f"| `{column.header_vi}` | `{column.key}` | {column.type} | "
                f"{'yes' if column.required else ''} | {notes} |\n"
            )
    out.append("\n## Allowed values\n\nCode, then the Vietnamese label (either is accepted).\n")
    for name, values in CHOICES.items():
        out.append(f"\n**`{name}`**: ")
        out.append(
            "; ".join(
                f"`{code}` {label}" if code else f"(empty) {label}"
                for code, label in values.items()
            )
        )
        out.append("\n")
    out.append(
        "\n**ethnicity**: the 54 groups by official code (`01` Kinh … `54` Rơ Măm; `55` foreigners), "
        "see `mch/registers/ethnicities.py`.\n"
    )
    return "".join(out)


if __name__ == "__main__":
    sys.stdout.write(render_docs())
