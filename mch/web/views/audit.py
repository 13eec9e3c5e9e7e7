"""Audit of reads: who viewed or exported whose identifiable records (Law 91/2025/QH15).

Province programme officers see the views and exports made by the users of their units and
those of the people of their units by anyone (``selectors.audit_read_list``). Entries older
than AUDIT_READ_RETENTION_DAYS are deleted by `mch prune_audit`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mch.accounts.permissions import can_audit_reads
from mch.registers import selectors
from mch.registers.models import AuditAction, AuditEntry
from mch.web.forms.fields import DayField

PER_PAGE = 50


class ReadFilter(forms.Form):
    nguoi_dung = forms.TypedChoiceField(label=_("User"), required=False, coerce=int)
    nguoi = forms.IntegerField(
        label=_("Person (record number)"),
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "8"}),
    )
    tu = DayField(label=_("From"), required=False)
    den = DayField(label=_("To"), required=False)
    loai = forms.ChoiceField(
        label=_("Access"),
        required=False,
        choices=[
            ("", _("Views and exports")),
            (AuditAction.VIEW, _("Views")),
            (AuditAction.EXPORT, _("Exports")),
        ],
    )

    def __init__(self, *args: Any, readers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nguoi_dung"].choices = [  # type: ignore[attr-defined]
            ("", _("Everyone")),
            *(
                (user.pk, f"{user.get_full_name() or user.username} ({user.username})")
                for user in readers
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("tu") and data.get("den") and data["tu"] > data["den"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


def _whose(entry: AuditEntry, names: dict[int, str]) -> dict[str, Any]:
    """What was read: one person (named when in the officer's units) or a list of them."""
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    listed = changes.get("people") or changes.get("person_ids") or []
    count = changes.get("count") if isinstance(changes.get("count"), int) else None
    rows = changes.get("rows")
    if isinstance(rows, dict):
        rows = sum(value for value in rows.values() if isinstance(value, int))
    return {
        "person_id": entry.person_id,
        "person_name": names.get(entry.person_id or 0, ""),
        "listed": len(listed) if isinstance(listed, list) else 0,
        "count": count if count is not None else rows if isinstance(rows, int) else None,
    }


@login_required
def read_audit(request: HttpRequest) -> HttpResponse:
    if not can_audit_reads(request.user):
        raise PermissionDenied(
            gettext("Only province programme officers see who read which records.")
        )
    readers = list(selectors.audit_readers(user=request.user))
    form = ReadFilter(request.GET or None, readers=readers)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "reader_id": data["nguoi_dung"] or None,
            "person_id": data["nguoi"],
            "since": data["tu"],
            "until": data["den"],
            "action": data["loai"],
        }
    rows = selectors.audit_read_list(user=request.user, **filters) if not form.errors else None
    page = Paginator(rows if rows is not None else AuditEntry.objects.none(), PER_PAGE).get_page(
        request.GET.get("trang")
    )
    entries = list(page.object_list)
    ids = {entry.person_id for entry in entries if entry.person_id}
    if filters.get("person_id"):
        ids.add(filters["person_id"])
    names = selectors.audit_people_names(user=request.user, ids=ids)
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "web/audit/reads.html",
        {
            "form": form,
            "page": page,
            "rows": [(entry, _whose(entry, names)) for entry in entries],
            "person_name": names.get(filters.get("person_id") or 0, ""),
            "query": query.urlencode(),
            "retention_days": settings.AUDIT_READ_RETENTION_DAYS,
        },
    )
