from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="aggregate-overview"),
    path("nhap/", views.import_page, name="aggregate-import"),
    path("xuat/<slug:form>/<str:token>.<slug:fmt>", views.export, name="aggregate-export"),
    path("<slug:form>/<int:unit_id>/<str:token>/", views.entry, name="aggregate-entry"),
]
