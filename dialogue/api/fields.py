"""Serializer fields that respect `visible_to(user)` in both directions."""

from rest_framework import serializers


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """Accepts only ids the caller may see, and shows an id only when the caller may see it.

    For reading, the view annotates `<field>_visible` (see `annotate_visible`) so that
    hiding an id costs no query per row. An id the caller may not see is refused with
    the same message as an id that does not exist.
    """

    def __init__(self, model=None, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.model.objects.none()
        return self.model.objects.visible_to(request.user)

    def get_attribute(self, instance):
        if getattr(instance, f"{self.source}_visible", True) is False:
            return None
        return super().get_attribute(instance)


def visible_many(model, **kwargs) -> serializers.ManyRelatedField:
    """A list of ids limited to what the caller may see (read from a visible-only prefetch)."""
    kwargs.setdefault("required", False)
    return serializers.ManyRelatedField(child_relation=VisibleRelatedField(model=model), **kwargs)
