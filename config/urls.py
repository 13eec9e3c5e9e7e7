from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("mch.web.api_urls")),
    path("admin/", admin.site.urls),
    path("bao-cao/", include("mch.reporting.urls")),
    path("bao-cao-dinh-ky/", include("mch.aggregate_data.urls")),
    path("so-lieu-khac/", include("mch.reported_values.urls")),
    path("", include("mch.mpdsr.urls")),
    path("", include("mch.web.urls")),
]

if settings.DEBUG:
    urlpatterns += []

__all__ = ["urlpatterns", "i18n_patterns"]

handler400 = "mch.web.views.errors.bad_request"
handler403 = "mch.web.views.errors.permission_denied"
handler404 = "mch.web.views.errors.page_not_found"
