"""The rows of a bundle as the importer carries them, and the messages it writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Model

from .lookups import Stored
from .spec import BY_KEY

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REJECTED = "rejected"


class Record:
    """The values a row will store, one attribute per column (``attname``), plus ``pk``.
    A plain object: the derive functions fill it like a model instance, at a fraction of
    the cost. ``links`` are foreign keys to rows of the bundle, resolved once ids exist."""

    def __init__(self, **values: Any):
        self.__dict__.update(values)
        self.links: list[tuple[str, Row]] = []

    if TYPE_CHECKING:  # columns are set at run time, one attribute each

        def __getattr__(self, name: str) -> Any: ...

        def __setattr__(self, name: str, value: Any) -> None: ...

    def link(self, attname: str, parent: Row | Stored) -> None:
        setattr(self, attname, parent.pk)
        if isinstance(parent, Row):
            self.links.append((attname, parent))

    def resolve(self) -> None:
        for attname, parent in self.links:
            setattr(self, attname, parent.pk)


@dataclass(eq=False)
class Row:
    """One record of one file: parsed values, then the model instance built from them."""

    file: str
    number: int
    values: dict[str, Any]
    errors: list[tuple[str, str]] = field(default_factory=list)
    obj: Any = None  # the Record once built (None while rejected)
    existing: Stored | None = None
    refs: dict[str, Row | Stored] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    status: str = ""
    changes: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.values.get("id") or ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    @property
    def pk(self) -> int | None:
        return self.obj.pk if self.obj is not None else None


Parent = Row | Stored


def pk_of(parent: Parent) -> int | None:
    return parent.pk


def facts(parent: Parent) -> Any:
    """What to read a parent's values from: the new instance or the stored row."""
    return parent.obj if isinstance(parent, Row) else parent


def same(a: Parent | None, b: Parent | None) -> bool:
    if a is None or b is None:
        return False
    return a is b or (a.pk is not None and a.pk == b.pk)


def file_label(key: str) -> str:
    return BY_KEY[key].name_vi


def not_found(file_key: str, ref: str) -> str:
    return f"Không tìm thấy mã '{ref}' trong tệp {file_label(file_key)} hoặc trong sổ."


def parent_rejected(parent: Row) -> str:
    return (
        f"Dòng {parent.number} của tệp {file_label(parent.file)} (mã '{parent.id}') bị từ chối, "
        "nên dòng này cũng không nhập được."
    )


def model_label(model: type[Model]) -> str:
    return str(model._meta.verbose_name)
