from rest_framework.routers import DefaultRouter

from mch.indicators.api import IndicatorViewSet
from mch.orgunits.api import OrgUnitViewSet
from mch.plans.api import PlanViewSet

router = DefaultRouter()
router.register("units", OrgUnitViewSet, basename="unit")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("plans", PlanViewSet, basename="plan")
urlpatterns = router.urls
