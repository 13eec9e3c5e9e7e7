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
