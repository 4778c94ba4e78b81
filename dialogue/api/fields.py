"""Serializer fields that respect `visible_to(user)` in both directions."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dialogue.disclosure import sees_global_concern_ids


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """Accepts only ids the caller may see, and shows an id only when the caller may see it.

    For reading, the view marks `<field>_visible` on each instance
    (`dialogue.api.querying.mark_visible_related`); an unmarked instance shows
    null, so a forgotten mark hides an id rather than leaking one.
    `public=True` is for relations anyone who sees the record may see (sectors
    are reference data). An id the caller may not see is refused with the same
    message as an id that does not exist.
    """

    def __init__(self, model=None, public=False, **kwargs):
        self.model = model
        self.public = public
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.model.objects.none()
        return self.model.objects.visible_to(request.user)

    def get_attribute(self, instance):
        if not self.public and not getattr(instance, f"{self.source}_visible", False):
            return None
        return super().get_attribute(instance)


class VisibleManyRelatedField(serializers.ManyRelatedField):
    """A list of ids limited to what the caller may see.

    Reads the plain id list the view marked as `<field>_visible_ids`; an unmarked
    instance shows an empty list. Writes accept only visible ids.
    """

    def get_attribute(self, instance):
        return getattr(instance, f"{self.source}_visible_ids", [])

    def to_representation(self, value):
        return list(value)


def visible_many(model, **kwargs) -> VisibleManyRelatedField:
    kwargs.setdefault("required", False)
    return VisibleManyRelatedField(child_relation=VisibleRelatedField(model=model), **kwargs)


class VisibleConcernField(VisibleRelatedField):
    """A related concern: its id for officials, its organization's reference number
    ("2026-0003") for company users, who never see global concern ids.

    The view copies the reference onto the instance as `<field>_reference`
    (`Related(..., values={"<field>_reference": "reference"})`). Written values are read
    the same way: an id from officials, a reference of their own organization from
    company users.
    """

    def __init__(self, **kwargs):
        from dialogue.models import Concern

        super().__init__(model=Concern, **kwargs)

    def _by_reference(self) -> bool:
        request = self.context.get("request")
        return request is not None and not sees_global_concern_ids(request.user)

    def get_attribute(self, instance):
        related = super().get_attribute(instance)
        if related is None or not self._by_reference():
            return related
        return getattr(instance, f"{self.source}_reference", None)

    def to_representation(self, value):
        return value if isinstance(value, str) else super().to_representation(value)

    def to_internal_value(self, data):
        if not self._by_reference():
            return super().to_internal_value(data)
        user = self.context["request"].user
        concern = (
            self.get_queryset()
            .filter(organization_id=user.organization_id, reference=str(data))
            .first()
        )
        if concern is None:
            self.fail("does_not_exist", pk_value=data)
        return concern


# DRF's own message for CharField; its Japanese catalogue lacks it, so ours carries it.
NOT_A_STRING = _("Not a valid string.")


class StringOnlyMixin:
    """Text that must come as a JSON string: DRF's CharField (and its email and slug
    fields) turn a number into text, though the schema says `string`."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(NOT_A_STRING, code="invalid")
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictCharField(StringOnlyMixin, serializers.CharField):
    pass


class StrictEmailField(StringOnlyMixin, serializers.EmailField):
    pass


class StrictSlugField(StringOnlyMixin, serializers.SlugField):
    pass
