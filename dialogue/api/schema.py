"""OpenAPI: every operation documents its error responses too."""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

Detail = inline_serializer("ErrorDetail", fields={"detail": serializers.CharField()})
# Raw schema: the keys are the input's own field names, which no serializer can list.
FieldErrors = {
    "type": "object",
    "description": (
        "Messages per input field, in the caller's language: a list of messages, or the same "
        "structure again for a nested field. `non_field_errors` is about the input as a whole; "
        "a body that cannot be parsed gets a `detail` message instead."
    ),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {}},
            {"type": "object", "additionalProperties": {}},
            {"type": "string"},
        ]
    },
    "example": {"due_on": ["Enter the due date as YYYY-MM-DD, e.g. 2026-12-01."]},
}
Conflict = inline_serializer(
    "StaleVersion",
    fields={"detail": serializers.CharField(), "current_version": serializers.IntegerField()},
)


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        'The version you read, as its ETag says: `"3"`. An update needs this header or a '
        "`version` field in the body: without either it is refused with 428, based on an "
        "older version with 409."
    ),
)


class DialogueAutoSchema(AutoSchema):
    def _is_versioned_update(self) -> bool:
        from dialogue.api.views.base import VersionedWriteMixin

        return self.method.upper() in ("PATCH", "PUT") and isinstance(
            self.view, VersionedWriteMixin
        )

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._is_versioned_update():
            parameters = [*parameters, IF_MATCH]
        return parameters

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
        if method in ("POST", "PATCH", "PUT") and self.get_request_serializer() is not None:
            extra["415"] = OpenApiResponse(
                Detail, description="The body is not in one of the documented content types."
            )
        if method == "PATCH":
            extra["409"] = OpenApiResponse(
                Conflict,
                description="Changed by someone else since you read it; nothing was saved.",
            )
        if self._is_versioned_update():
            extra["428"] = OpenApiResponse(
                Detail,
                description="Neither If-Match nor `version` said which version you are "
                "changing; nothing was saved.",
            )
        if method in ("GET",) and self._is_list_view():
            extra["400"] = OpenApiResponse(FieldErrors, description="Invalid filter value.")
            if self._get_paginator() is not None:
                extra["404"] = OpenApiResponse(
                    Detail, description="Invalid `cursor`: there is no such page."
                )
        extra["429"] = OpenApiResponse(Detail, description="Too many requests; retry later.")
        for code, response in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code)
        return responses


class VisibleRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """A related id the caller may not see is shown as null (`VisibleRelatedField`), so in
    responses every such field is nullable; in lists they are left out instead."""

    target_class = "dialogue.api.fields.VisibleRelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        in_list = isinstance(self.target.parent, serializers.ManyRelatedField)
        if direction == "response" and not in_list:
            schema = {**schema, "nullable": True}
        return schema


class VisibleConcernFieldExtension(OpenApiSerializerFieldExtension):
    """A related concern: an id for officials, a reference number for company users."""

    target_class = "dialogue.api.fields.VisibleConcernField"
    priority = 1  # before VisibleRelatedFieldExtension, which matches subclasses

    def map_serializer_field(self, auto_schema, direction):
        schema: dict[str, Any] = {
            "oneOf": [
                {"type": "integer", "description": "the concern's id (officials)"},
                {
                    "type": "string",
                    "description": "the organization's reference number, e.g. 2026-0003 "
                    "(company users)",
                },
            ]
        }
        if direction == "response":
            schema["nullable"] = True
        return schema


class ConcernSerializerExtension(OpenApiSerializerExtension):
    """`id` is left out of concerns shown to company users (`ConcernSerializer.get_fields`),
    so the schema does not require it."""

    target_class = "dialogue.api.serializers.concerns.ConcernSerializer"

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if "id" in schema.get("required", []):
            schema["required"] = [name for name in schema["required"] if name != "id"]
        if "id" in schema.get("properties", {}):
            schema["properties"]["id"] = {
                **schema["properties"]["id"],
                "description": "Officials only; company users get `reference` instead.",
            }
        return schema
