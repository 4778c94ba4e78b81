"""OpenAPI: every operation documents its error responses too, in English.

Clients are generated from this schema (openapi-python-client names its modules and classes
after component, enum and parameter names and `title`s), so the schema is the same whatever
language the request or `manage.py spectacular --lang` asks for."""

import typing
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance, is_list_serializer, is_serializer
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

SCHEMA_LANGUAGE = "en"


def _resolve_lazy_text(value: Any) -> Any:
    """`value` with every lazy translation turned into plain text in the active language."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {_resolve_lazy_text(key): _resolve_lazy_text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_resolve_lazy_text(item) for item in value]
    return value


class EnglishSchemaGenerator(SchemaGenerator):
    """The schema in English for every caller: the served view and the management command
    both use the DEFAULT_GENERATOR_CLASS."""

    def get_schema(self, request=None, public=False):
        with translation.override(SCHEMA_LANGUAGE):
            schema = super().get_schema(request=request, public=public)
            # Verbose names and help texts are lazy: rendered after this returns, they would
            # follow the request's language (Accept-Language, cookie, ?lang=).
            return _resolve_lazy_text(schema)


def drop_parameter_titles(result, generator, request, public):
    """Postprocessing hook: a query parameter's enum gets no `title` (the model field's
    verbose name), so client classes are named after the operation and the parameter
    (`ActionsListPillar`), not after a label that may be reworded."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                parameter.get("schema", {}).pop("title", None)
    return result


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
        'The version you read, as its ETag says: `"3"`, instead of a `version` field in '
        "the body. Without either, a change is refused: 428, or 400 where the body's "
        "`version` is required; based on an older version, 409."
    ),
)


ETAG = {
    "schema": {"type": "string"},
    "description": 'The record\'s version, quoted: `"3"`; send it back in If-Match to update it.',
    "example": '"3"',
}


def _is_versioned_view(view) -> bool:
    from dialogue.api.views.base import VersionedWriteMixin

    return isinstance(view, VersionedWriteMixin)


class DialogueAutoSchema(AutoSchema):
    def _writable_version_field(self) -> serializers.Field | None:
        serializer = force_instance(self.get_request_serializer())
        if not is_serializer(serializer) or is_list_serializer(serializer):
            return None
        field = typing.cast("dict[str, serializers.Field]", serializer.fields).get("version")
        return None if field is None or field.read_only else field

    def _is_versioned_write(self) -> bool:
        """An update of a versioned record, or a transition of one (publish, answer …)
        whose body names the version: both go through `VersionedWriteMixin.expected_version`."""
        if not _is_versioned_view(self.view):
            return False
        method = self.method.upper()
        if method in ("PATCH", "PUT"):
            return True
        return (
            method == "POST"
            and not self._is_create_operation()
            and self._writable_version_field() is not None
        )

    def _may_omit_version(self) -> bool:
        """428 is possible where neither If-Match nor the body's `version` is required."""
        if self.method.upper() in ("PATCH", "PUT"):
            return True
        field = self._writable_version_field()
        return field is not None and not field.required

    def _sends_etag(self, serializer, status_code: str) -> bool:
        """As `VersionedWriteMixin.finalize_response` does (`carries_a_version`)."""
        if not status_code.startswith("2") or not _is_versioned_view(self.view):
            return False
        if isinstance(serializer, OpenApiResponse):
            serializer = serializer.response
        serializer = force_instance(serializer)
        if not is_serializer(serializer) or is_list_serializer(serializer):
            return False
        if self._is_list_view(serializer):
            return False
        from dialogue.api.views.base import carries_a_version

        return carries_a_version(serializer.fields)

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._is_versioned_write():
            parameters = [*parameters, IF_MATCH]
        return parameters

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if self._sends_etag(serializer, str(status_code)):
            response["headers"] = {**response.get("headers", {}), "ETag": ETAG}
        return response

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
        if self._is_versioned_write():
            extra["409"] = OpenApiResponse(
                Conflict,
                description="Changed by someone else since you read it; nothing was saved.",
            )
        if self._is_versioned_write() and self._may_omit_version():
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
