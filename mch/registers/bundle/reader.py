"""Read a bundle: a folder or a .zip of CSV files, one CSV file, or an .xlsx workbook with
one sheet per file. Names and headers are matched in English or Vietnamese, ignoring
case, diacritics, spaces and hyphens ("Mã người", "ma_nguoi" and "person_id" are one
column). Nothing is interpreted here beyond the cell: ``values`` parses, the importer checks.
"""

from __future__ import annotations

import csv
import io
import itertools
import pickle
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from mch.core.text import fold

from .spec import FILES, Column, FileSpec

# Files no other file refers to: checked and written a chunk at a time, never held whole.
STREAMED = ("postnatal_contacts", "checkups", "growth", "immunisations", "illnesses")
# A streamed file longer than this is spread over chunk files on disk, by person (the checks
# of a child's doses see all of them together); shorter ones stay in memory as one chunk.
CHUNK_ROWS = 40_000

# Sheets of the template that hold no records.
HELP_SHEETS = {"huong_dan", "danh_muc", "readme", "help", "choices"}
DATA_SUFFIXES = (".csv", ".xlsx", ".xlsm")


def norm(text: str) -> str:
    """The form names and headers are compared in: folded, words joined by "_"."""
    text = fold(str(text)).replace("\ufeff", "").replace("-", " ").replace("*", " ")
    return "_".join(text.replace("_", " ").split())


_FILES: dict[str, FileSpec] = {}
for _spec in FILES:
    for _name in (_spec.key, _spec.name_vi, _spec.title_vi):
        _FILES[norm(_name)] = _spec


def match_file(name: str) -> FileSpec | None:
    """The spec of a file or sheet name ("nguoi.csv", "Khám thai", "births")."""
    stem = name.replace("\\", "/").rsplit("/", 1)[-1]
    if stem.lower().endswith(DATA_SUFFIXES):
        stem = stem.rsplit(".", 1)[0]
    return _FILES.get(norm(stem))


def column_lookup(spec: FileSpec) -> dict[str, Column]:
    found: dict[str, Column] = {}
    for column in spec.columns:
        found[norm(column.key)] = column
        found[norm(column.header_vi)] = column
    return found


@dataclass
class Problem:
    """A problem with a whole file or one cell, before any record is checked."""

    file: str
    row: int
    column: str
    message: str


class Spill:
    """Rows (or any picklable items) kept in files of a temporary folder, in ``parts``
    files chosen by the caller, read back a part at a time."""

    FRAME = 2000

    def __init__(self, folder: Path, name: str, parts: int = 1):
        self.paths = [folder / f"{name}.{index}" for index in range(parts)]
        self.handles = [path.open("wb") for path in self.paths]
        self.buffers: list[list[Any]] = [[] for _ in self.paths]
        self.count = 0

    def add(self, item: Any, part: int = 0) -> None:
        buffer = self.buffers[part]
        buffer.append(item)
        self.count += 1
        if len(buffer) >= self.FRAME:
            pickle.dump(buffer, self.handles[part], protocol=pickle.HIGHEST_PROTOCOL)
            buffer.clear()

    def close(self) -> None:
        for handle, buffer in zip(self.handles, self.buffers, strict=True):
            if handle.closed:
                continue
            if buffer:
                pickle.dump(buffer, handle, protocol=pickle.HIGHEST_PROTOCOL)
                buffer.clear()
            handle.close()

    def frames(self, part: int) -> Iterator[list[Any]]:
        self.close()
        with self.paths[part].open("rb") as handle:
            while True:
                try:
                    yield pickle.load(handle)  # noqa: S301 - our own temporary file
                except EOFError:
                    return

    def part(self, index: int) -> list[Any]:
        return [item for frame in self.frames(index) for item in frame]

    def __iter__(self) -> Iterator[Any]:
        for index in range(len(self.paths)):
            for frame in self.frames(index):
                yield from frame


@dataclass
class Table:
    """The rows of one file: ``values[i]`` belongs to ``columns[i]``. A long streamed
    file keeps its rows in ``spill`` (by person) instead of ``rows``."""

    spec: FileSpec
    name: str
    headers: list[str]
    columns: list[Column]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    count: int = 0
    spill: Spill | None = None

    def chunks(self) -> Iterator[list[tuple[int, list[Any]]]]:
        """The rows a chunk at a time (all of one person in one chunk)."""
        if self.spill is None:
            if self.rows:
                yield self.rows
            return
        for index in range(len(self.spill.paths)):
            found = self.spill.part(index)
            if found:
                yield found


@dataclass
class Bundle:
    tables: dict[str, Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    folder: Path | None = None  # the temporary folder of spilled rows

    @property
    def rows_total(self) -> int:
        return sum(table.count for table in self.tables.values())

    def scratch(self) -> Path:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="mch-import-"))
        return self.folder

    def close(self) -> None:
        for table in self.tables.values():
            if table.spill is not None:
                table.spill.close()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


class _Builder:
    def __init__(self) -> None:
        self.bundle = Bundle()

    def problem(self, file: str, message: str, row: int = 0, column: str = "") -> None:
        self.bundle.problems.append(Problem(file, row, column, message))

    def add(
        self,
        name: str,
        rows: Iterable[tuple[int, list[Any]]],
        *,
        sheet: bool,
        size_hint: int = 0,
    ) -> None:
        """Read a file's rows; ``size_hint``: about how many rows it has (0: unknown)."""
        spec = match_file(name)
        if spec is None:
            if sheet and norm(name) in HELP_SHEETS:
                return
            known = ", ".join(s.name_vi for s in FILES)
            what = "Trang tính" if sheet else "Tệp"
            self.problem(name, f"{what} '{name}' không thuộc bộ dữ liệu sổ (tên hợp lệ: {known}).")
            return
        if spec.key in self.bundle.tables:
            other = self.bundle.tables[spec.key].name
            self.problem(name, f"'{name}' và '{other}' cùng là tệp {spec.name_vi}: chỉ dùng một.")
            return
        iterator = iter(rows)
        header_row = next(iterator, None)
        while header_row is not None and all(_empty(v) for v in header_row[1]):
            header_row = next(iterator, None)
        if header_row is None:
            return  # an empty file or sheet: nothing to import
        table = self._table(spec, name, header_row)
        if table is None:
            return
        width = len(table.columns)
        streamed = spec.key in STREAMED
        keys = [column.key for column in table.columns]
        person = keys.index("person_id") if "person_id" in keys else 0
        parts = max(2, min(1024, -(-size_hint // CHUNK_ROWS))) if size_hint else 64
        for number, values in iterator:
            if len(values) > width and any(not _empty(v) for v in values[width:]):
                self.problem(name, "Dòng có nhiều ô hơn số cột tiêu đề.", number)
                continue
            if all(_empty(v) for v in values):
                continue
            if len(values) < width:
                values = [*values, *([None] * (width - len(values)))]
            item = (number, values[:width])
            table.count += 1
            if table.spill is not None:
                table.spill.add(item, hash(str(item[1][person] or "").strip()) % parts)
                continue
            table.rows.append(item)
            if streamed and len(table.rows) > CHUNK_ROWS:
                table.spill = Spill(self.bundle.scratch(), spec.key, parts)
                for kept in table.rows:
                    table.spill.add(kept, hash(str(kept[1][person] or "").strip()) % parts)
                table.rows = []
        if table.count:  # a sheet of the template left empty is no file
            self.bundle.tables[spec.key] = table
        if table.spill is not None:
            table.spill.close()

    def _table(self, spec: FileSpec, name: str, header_row: tuple[int, list[Any]]) -> Table | None:
        lookup = column_lookup(spec)
        headers = [str(v).strip() if v is not None else "" for v in header_row[1]]
        while headers and not headers[-1]:
            headers.pop()
        columns: list[Column] = []
        seen: dict[str, str] = {}
        ok = True
        for header in headers:
            column = lookup.get(norm(header))
            if column is None:
                expected = ", ".join(c.header_vi for c in spec.columns)
                self.problem(
                    name,
                    f"Cột '{header}' không có trong tệp {spec.name_vi} (các cột: {expected}).",
                    header_row[0],
                    header,
                )
                ok = False
                continue
            if column.key in seen:
                self.problem(
                    name,
                    f"Cột '{header}' trùng với cột '{seen[column.key]}'.",
                    header_row[0],
                    header,
                )
                ok = False
                continue
            seen[column.key] = header
            columns.append(column)
        for column in spec.columns:
            if column.required and column.key not in seen:
                self.problem(
                    name,
                    f"Thiếu cột bắt buộc '{column.header_vi}' ({column.key}).",
                    header_row[0],
                    column.header_vi,
                )
                ok = False
        if not ok:
            return None
        return Table(spec, name, [seen[c.key] for c in columns], columns)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


NOT_UTF8 = "Tệp không ở dạng UTF-8: hãy lưu lại với kiểu 'CSV UTF-8 (phân cách bằng dấu phẩy)'."


def _csv_rows(name: str, binary: IO[bytes], builder: _Builder) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a CSV file read as a stream (never the whole text in memory); a file
    that is not UTF-8 or not CSV is a problem and ends the rows."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    reader = None
    try:
        first = text.readline()
        delimiter = max((";", ",", "\t"), key=first.split("\n", 1)[0].count)
        reader = csv.reader(itertools.chain([first] if first else [], text), delimiter=delimiter)
        yield from enumerate(reader, 1)
    except UnicodeDecodeError:
        builder.problem(name, NOT_UTF8)
    except csv.Error as error:
        builder.problem(name, f"Tệp CSV lỗi: {error}.", reader.line_num if reader else 0)


def _add_csv(name: str, data: bytes | Path | IO[bytes], builder: _Builder, size: int) -> None:
    if match_file(name) is None:
        builder.add(name, [], sheet=False)
        return
    if isinstance(data, Path):
        with data.open("rb") as handle:
            builder.add(name, _csv_rows(name, handle, builder), sheet=False, size_hint=size // 60)
    else:
        stream: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes) else data
        builder.add(name, _csv_rows(name, stream, builder), sheet=False, size_hint=size // 60)


def _add_xlsx(name: str, data: bytes | Path, builder: _Builder) -> None:
    from openpyxl import load_workbook

    try:
        source = data if isinstance(data, Path) else io.BytesIO(data)
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any unreadable workbook is the user's file
        builder.problem(name, f"Không đọc được tệp Excel: {error}.")
        return
    try:
        for sheet in workbook.worksheets:
            rows = (
                (number, list(values))
                for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
            )
            builder.add(sheet.title, rows, sheet=True, size_hint=sheet.max_row or 0)
    finally:
        workbook.close()


def _add_zip(name: str, data: bytes | Path, builder: _Builder) -> None:
    try:
        archive = zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data))
    except zipfile.BadZipFile:
        builder.problem(name, "Không đọc được tệp nén .zip.")
        return
    with archive:
        members = sorted(
            info.filename
            for info in archive.infolist()
            if not info.is_dir()
            and "__MACOSX" not in info.filename
            and info.filename.lower().endswith(DATA_SUFFIXES)
        )
        for member in members:
            size = archive.getinfo(member).file_size
            if member.lower().endswith(".csv"):
                with archive.open(member) as handle:
                    _add_csv(member, handle, builder, size)
            else:
                _add_file(member, archive.read(member), builder)


def _add_file(name: str, data: bytes | Path, builder: _Builder) -> None:
    lower = name.lower()
    if lower.endswith(".csv"):
        size = data.stat().st_size if isinstance(data, Path) else len(data)
        _add_csv(name, data, builder, size)
    elif lower.endswith((".xlsx", ".xlsm")):
        _add_xlsx(name, data, builder)
    elif lower.endswith(".zip"):
        _add_zip(name, data, builder)
    else:
        builder.problem(name, "Chỉ nhận tệp .csv, .xlsx hoặc .zip (gồm các tệp .csv).")


Source = str | Path | tuple[str, bytes]


def source_name(source: Source) -> str:
    return source[0] if isinstance(source, tuple) else Path(source).name


def read_bundle(source: Source) -> Bundle:
    """Read every file of a bundle. ``source``: a path (folder, .zip, .csv, .xlsx) or
    ``(file name, content)`` for an upload."""
    builder = _Builder()
    if isinstance(source, tuple):
        _add_file(source[0], source[1], builder)
    else:
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in DATA_SUFFIXES)
            if not files:
                builder.problem(path.name, "Thư mục không có tệp .csv hoặc .xlsx nào.")
            for item in files:
                _add_file(item.name, item, builder)
        elif path.exists():
            _add_file(path.name, path, builder)
        else:
            builder.problem(path.name, f"Không tìm thấy '{path}'.")
    if not builder.bundle.problems and not builder.bundle.rows_total:
        builder.problem(source_name(source), "Không có dòng dữ liệu nào để nhập.")
    return builder.bundle
