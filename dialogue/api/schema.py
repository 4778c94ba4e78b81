"""OpenAPI: every operation documents its error responses too."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

Detail = inline_serializer("ErrorDetail", fields={"detail": serializers.CharField()})
FieldErrors = inline_serializer(
    "FieldErrors",
    fields={
        "field_name": serializers.ListField(
            child=serializers.CharField(), help_text="Messages per field, in the caller's language."
        )
    },
)
Conflict = inline_serializer(
    "StaleVersion",
    fields={"detail": serializers.CharField(), "current_version": serializers.IntegerField()},
)


class DialogueAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        method = self.method.upper()
        extra = {"401": OpenApiResponse(Detail, description="Not signed in or token revoked.")}
        if self.get_auth() == []:
            extra = {}
        if "{" in self.path:
            extra["404"] = OpenApiResponse(
                Detail, description="Does not exist, or you may not see it (the same answer)."
            )
        if method in ("POST", "PATCH", "PUT", "DELETE"):
            extra["400"] = OpenApiResponse(
                FieldErrors, description="Invalid input; nothing was saved."
            )
            extra["403"] = OpenApiResponse(Detail, description="You may see it but not change it.")
        if method == "PATCH":
            extra["409"] = OpenApiResponse(
                Conflict,
                description="Changed by someone else since you read it; nothing was saved.",
            )
        if method in ("GET",) and self._is_list_view():
            extra["400"] = OpenApiResponse(FieldErrors, description="Invalid filter value.")
        extra["429"] = OpenApiResponse(Detail, description="Too many requests; retry later.")
        for code, response in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code)
        return responses
