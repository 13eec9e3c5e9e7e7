"""The mid-year population page: upload a file (CSV/XLSX, all rows or none, errors per
row in Vietnamese) and see what is loaded per year, inside the user's units. For the
province officer (and administrators)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mch.accounts.permissions import can_manage_plans
from mch.accounts.scope import Scope
from mch.orgunits.imports import UnitImportError
from mch.orgunits.population import COLUMNS, population_import, population_loaded

MAX_BYTES = 5 * 1024 * 1024


class PopulationUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Population file (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One row per commune, year, sex and age group; a row already loaded is replaced."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    source = forms.CharField(
        label=gettext_lazy("Source (for rows without one)"),
        required=False,
        max_length=200,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("The file must be a CSV or XLSX file."))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def population_page(request: HttpRequest) -> HttpResponse:
    if not can_manage_plans(request.user):
        raise PermissionDenied
    scope = Scope.for_user(request.user)
    problems: list[str] = []
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = population_import(
                file=upload,
                name=upload.name,
                scope=scope,
                default_source=form.cleaned_data["source"],
            )
        except UnitImportError as error:
            problems = list(error.messages)
        else:
            messages.success(
                request,
                _("Population loaded: %(rows)s rows (%(created)s new, %(updated)s replaced).")
                % {"rows": result.rows, "created": result.created, "updated": result.updated},
            )
            return redirect("population")
    return render(
        request,
        "web/units/population.html",
        {
            "form": form,
            "problems": problems,
            "years": population_loaded(scope=scope),
            "columns": COLUMNS,
            "nav_section": "units",
        },
    )
