from django.urls import path
from rest_framework.routers import DefaultRouter

from mch.indicators.api import IndicatorValuesView, IndicatorViewSet
from mch.orgunits.api import OrgUnitViewSet
from mch.plans.api import PlanViewSet
from mch.registers.api import ChoicesView, register_routes
from mch.reported_values.api import ROUTES as REPORTED_ROUTES

router = DefaultRouter()
router.register("units", OrgUnitViewSet, basename="unit")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("plans", PlanViewSet, basename="plan")
register_routes(router)
for prefix, viewset, basename in REPORTED_ROUTES:
    router.register(prefix, viewset, basename=basename)
# Before the router: "values" would otherwise be read as an indicator code.
urlpatterns = [
    path("indicators/values/", IndicatorValuesView.as_view(), name="indicator-values"),
]
urlpatterns += router.urls
urlpatterns += [path("registers/choices/", ChoicesView.as_view(), name="registers-choices")]
