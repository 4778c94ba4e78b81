"""Pieces shared by the register serializers."""

from collections.abc import Mapping, Set
from enum import Enum
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MinLengthValidator
from django.db import models
from rest_framework import serializers
from rest_framework.fields import Field
from rest_framework.relations import PKOnlyObject

from dialogue.api.fields import StrictCharField, StrictEmailField, StrictSlugField
from dialogue.enums import Marking
from dialogue.models import ThreatCategory

State = TypeVar("State", bound=Enum)


def allowed_changes(transitions: Mapping[State, Set[State]]) -> str:
    """A status field's description, written from its workflow's table (dialogue/workflows.py),
    which the services enforce, so that the schema never says otherwise. English, as the
    schema's own words are."""
    moves, final = [], []
    for state, targets in transitions.items():
        if targets:
            ordered = [target.value for target in type(state) if target in targets]
            moves.append(f"{state.value} → {', '.join(ordered)}")
        else:
            final.append(state.value)
    text = f"Allowed changes: {'; '.join(moves)}."
    return f"{text} Final: {', '.join(final)}." if final else text


def not_empty(message) -> MinLengthValidator:
    """A list field's refusal of `[]`, with `message`. A validator rather than
    `allow_empty=False`: drf-spectacular writes `minItems: 1` for this one only."""
    return MinLengthValidator(1, message=message)


class _NotPlain(Exception):
    """The value needs DRF's own lookup (a callable, a missing attribute…)."""


def _plain_value(instance, attrs):
    for attr in attrs:
        instance = getattr(instance, attr)
        if callable(instance):
            raise _NotPlain
    return instance


class ApiModelSerializer(serializers.ModelSerializer):
    """Every API model serializer: model text fields refuse what is not a JSON string."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.EmailField: StrictEmailField,
        models.SlugField: StrictSlugField,
    }


class PlainReadSerializer(ApiModelSerializer):
    """DRF's `to_representation` with a shorter path for plain attributes.

    A list page renders every field of every row; DRF looks each value up through
    `Field.get_attribute` (Mapping checks, callables, error handling), which costs more
    than the value itself. Fields that keep that lookup as it is and read model
    attributes are read here with plain `getattr`; the rest (relations, the visibility
    marks, anything unusual such as a missing attribute) take DRF's own path, so the
    output is the same.
    """

    def to_representation(self, instance):
        if not isinstance(instance, models.Model):
            return super().to_representation(instance)
        ret = {}
        for field, attrs in self._read_plan:
            if attrs is not None:
                try:
                    value = _plain_value(instance, attrs)
                except (_NotPlain, AttributeError, KeyError, ObjectDoesNotExist):
                    pass
                else:
                    ret[field.field_name] = (
                        None if value is None else field.to_representation(value)
                    )
                    continue
            try:
                value = field.get_attribute(instance)
            except serializers.SkipField:
                continue
            check = value.pk if isinstance(value, PKOnlyObject) else value
            ret[field.field_name] = None if check is None else field.to_representation(value)
        return ret

    @property
    def _read_plan(self):
        """(field, attribute path or None for DRF's lookup), built once per serializer."""
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self.__dict__["_plan"] = [
                (
                    field,
                    field.source_attrs
                    if type(field).get_attribute is Field.get_attribute and field.source != "*"
                    else None,
                )
                for field in self._readable_fields
            ]
        return plan


class VersionedSerializer(PlainReadSerializer):
    """`version` is shown on reads; an update sends it back (or If-Match): a stale value gets
    409, none at all 428."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            'The version you read. An update needs it (here or as If-Match: "<version>"): '
            "without it 428, based on an older version 409; nothing is saved."
        ),
    )
    marking = serializers.ChoiceField(choices=Marking.choices, required=False)


class ThreatCodeField(serializers.SlugRelatedField):
    """A leaf threat code such as "1-2"."""

    def __init__(self, **kwargs):
        super().__init__(
            slug_field="code",
            queryset=ThreatCategory.objects.filter(parent__isnull=False),
            **kwargs,
        )

    def to_internal_value(self, data):
        # No code holds a NUL, and PostgreSQL could not even look one up (Django's
        # ModelChoiceField checks this; DRF's SlugRelatedField does not).
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
