from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="reported-index"),
    path("khao-sat/", views.survey_list, name="reported-surveys"),
    path("khao-sat/them/", views.survey_add, name="reported-survey-add"),
    path("khao-sat/<int:pk>/sua/", views.survey_edit, name="reported-survey-edit"),
    path("chinh-sach/", views.policy_list, name="reported-policy"),
    path("chinh-sach/them/", views.policy_add, name="reported-policy-add"),
    path("chinh-sach/<int:pk>/sua/", views.policy_edit, name="reported-policy-edit"),
    path("nhan-luc/", views.workforce_list, name="reported-workforce"),
    path("nhan-luc/them/", views.workforce_add, name="reported-workforce-add"),
    path("nhan-luc/<int:pk>/sua/", views.workforce_edit, name="reported-workforce-edit"),
    path(
        "<slug:kind>/<int:pk>/xoa/",
        views.delete,
        name="reported-delete",
    ),
    path("nhap/", views.import_page, name="reported-import"),
    path("mau.<slug:fmt>", views.template_download, name="reported-template"),
]
