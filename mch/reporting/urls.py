from django.urls import path

from . import views

urlpatterns = [
    path("", views.reporting_index, name="reporting-index"),
    path("<slug:slug>/<int:year>/nhiem-vu/", views.task_list, name="reporting-tasks"),
    path(
        "<slug:slug>/<int:year>/nhiem-vu/<int:task_id>/",
        views.task_report,
        name="reporting-task",
    ),
    path("<slug:slug>/<int:year>/tinh-hinh/", views.task_board, name="reporting-board"),
    path("<slug:slug>/<int:year>/", views.annual_report, name="reporting-annual"),
    path(
        "<slug:slug>/<int:year>/tao/",
        views.annual_report_generate_view,
        name="reporting-annual-generate",
    ),
    path(
        "<slug:slug>/<int:year>/tien-do/",
        views.annual_report_progress,
        name="reporting-annual-progress",
    ),
    path("<slug:slug>/<int:year>/chat-luong/", views.data_quality, name="reporting-quality"),
    path("<slug:slug>/<int:year>/xem/", views.annual_report_preview, name="reporting-preview"),
    path(
        "<slug:slug>/<int:year>/tai.<slug:kind>",
        views.annual_report_download,
        name="reporting-download",
    ),
    path("tep/<int:pk>/", views.attachment_download, name="reporting-attachment"),
]
