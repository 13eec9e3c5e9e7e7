from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views import audit, equity, home, indicators, people, plans, population, units
from .views import register_import as register_views
from .views import worklists as worklist_views
from .views.auth import LoginView

urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("don-vi/", units.unit_tree, name="unit-tree"),
    path("don-vi/dan-so/", population.population_page, name="population"),
    path("don-vi/<int:pk>/", units.unit_detail, name="unit-detail"),
    path("don-vi/<int:pk>/con/", units.unit_children, name="unit-children"),
    path("ke-hoach/", plans.plan_index, name="plan-list"),
    path("ke-hoach/nhap/", plans.plan_upload, name="plan-import"),
    path("ke-hoach/<slug:slug>/", plans.plan_detail, name="plan-detail"),
    path("ke-hoach/<slug:slug>/bang-diem/", plans.plan_scorecard_view, name="plan-scorecard"),
    path(
        "ke-hoach/<slug:slug>/bang-diem/don-vi/<int:unit_id>/",
        plans.plan_scorecard_unit_view,
        name="plan-scorecard-unit",
    ),
    path("ke-hoach/<slug:slug>/xuat.json", plans.plan_export_json, name="plan-export"),
    path("chi-so/", indicators.indicator_index, name="indicator-list"),
    path("chi-so/<slug:code>/", indicators.indicator_detail, name="indicator-detail"),
    path("chi-so/<slug:code>/cong-bang/", equity.indicator_equity, name="indicator-equity"),
    path("nguoi/", people.person_index, name="person-list"),
    path("nguoi/them/", people.person_register, name="person-register"),
    path("nguoi/<int:pk>/", people.person_detail, name="person-detail"),
    path("nguoi/<int:pk>/sua/", people.person_edit, name="person-edit"),
    path("nguoi/<int:pk>/chuyen/", people.person_move, name="person-move"),
    path("nguoi/<int:pk>/gop/", people.person_merge, name="person-merge"),
    path("so/viec-can-lam/", worklist_views.worklist_overview, name="worklist-overview"),
    path("so/viec-can-lam/<slug:slug>/", worklist_views.worklist_page, name="worklist"),
    path("so/viec-can-lam/<slug:slug>/in/", worklist_views.worklist_print, name="worklist-print"),
    path(
        "so/viec-can-lam/<slug:slug>/xuat.xlsx",
        worklist_views.worklist_export,
        {"fmt": "xlsx"},
        name="worklist-xlsx",
    ),
    path(
        "so/viec-can-lam/<slug:slug>/xuat.csv",
        worklist_views.worklist_export,
        {"fmt": "csv"},
        name="worklist-csv",
    ),
    path("so/nhap/", register_views.import_page, name="register-import"),
    path("so/nhap/<int:pk>/", register_views.import_batch, name="register-import-batch"),
    path("so/nhap/<int:pk>/nhap-lai/", register_views.import_retry, name="register-import-retry"),
    path("so/xuat/", register_views.export_page, name="register-export"),
    path("so/xuat/<slug:file>.<slug:fmt>", register_views.export_file, name="register-export-file"),
    path("so/mau.xlsx", register_views.template_download, name="register-template"),
    path("so/nhat-ky-truy-cap/", audit.read_audit, name="audit-reads"),
    path("so/", include("mch.web.views.records.urls")),
]
