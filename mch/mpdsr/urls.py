from django.urls import path

from . import views

urlpatterns = [
    path("tu-vong-me/", views.surveillance, name="mpdsr-surveillance"),
    path("tu-vong-me/ca/<int:pk>/", views.case, name="mpdsr-case"),
    path("tu-vong-me/ca/<int:pk>/tham-dinh/", views.review_edit, name="mpdsr-review-edit"),
    path("tu-vong-me/tham-dinh/<int:pk>/", views.review_detail, name="mpdsr-review"),
    path("tu-vong-me/tham-dinh/<int:pk>/hanh-dong/", views.action_add, name="mpdsr-action-add"),
    path("tu-vong-me/hanh-dong/<int:pk>/", views.action_update, name="mpdsr-action-update"),
    path("tu-vong-me/bao-cao/", views.m5, name="mpdsr-m5"),
    path("tu-vong-me/bao-cao/m5.<str:fmt>", views.m5_export, name="mpdsr-m5-export"),
    path("bao-dong-do/", views.red_alert_list, name="mpdsr-red-alerts"),
    path("bao-dong-do/<int:pk>/lien-ket/", views.red_alert_link, name="mpdsr-red-alert-link"),
]

from . import views_extra  # noqa: E402

urlpatterns += [
    path("tu-vong-chu-sinh/", views_extra.perinatal_list, name="mpdsr-perinatal"),
    path(
        "tu-vong-chu-sinh/<str:kind>/<int:pk>/tham-dinh/",
        views_extra.perinatal_review_edit,
        name="mpdsr-perinatal-edit",
    ),
    path(
        "tu-vong-chu-sinh/tham-dinh/<int:pk>/",
        views_extra.perinatal_review_detail,
        name="mpdsr-perinatal-review",
    ),
    path(
        "tu-vong-chu-sinh/tham-dinh/<int:pk>/hanh-dong/",
        views_extra.perinatal_action_add,
        name="mpdsr-perinatal-action-add",
    ),
    path("tu-vong-me/hoi-dong/", views_extra.board, name="mpdsr-board"),
    path("bao-dong-do/chuan/", views_extra.red_alert_standard, name="mpdsr-red-alert-standard"),
]
