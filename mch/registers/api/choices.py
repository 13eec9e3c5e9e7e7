"""The code lists of the registers, for clients that build their own forms offline."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .base import CanSeePeople
from .fields import choice_sets
from .schema import FORBIDDEN


class ChoicesView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanSeePeople]

    @extend_schema(
        summary="Code lists of the registers",
        description="Every choice set: `{set: {code: Vietnamese label}}`, in the order forms "
        "show them. The same lists document the choice fields of each record type.",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="{set: {code: label}}"),
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        return Response(choice_sets())
