"""/api/schema/: the OpenAPI schema, in English for every caller (`EnglishSchemaGenerator`)."""

from drf_spectacular.views import SpectacularAPIView

from dialogue.api.schema import SCHEMA_LANGUAGE


class EnglishSchemaView(SpectacularAPIView):
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            # LocaleMiddleware would label it with the request's language, which it ignores.
            response["Content-Language"] = SCHEMA_LANGUAGE
        return response
