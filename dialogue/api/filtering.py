"""The API's filter backend: django-filter's, reading values as strictly as the schema."""

from django_filters.rest_framework import DjangoFilterBackend

from dialogue.lists.filters import refuse_loose_values


class ApiFilterBackend(DjangoFilterBackend):
    """An empty value of a typed parameter, or a boolean other than true/false, is a field
    error (400) rather than "no filter": the schema forbids both (`refuse_loose_values`)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            refuse_loose_values(filterset)
        return filterset
