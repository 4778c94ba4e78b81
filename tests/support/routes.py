"""The project's URL patterns, walked from Django's resolver, and the API's operations,
from the generated OpenAPI schema: what the permission matrix and the sweeps must cover."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from drf_spectacular.generators import SchemaGenerator


@dataclass(frozen=True)
class Route:
    route: str  # the full pattern, as ResolverMatch.route spells it
    name: str | None  # "namespace:name"
    pattern: URLPattern

    @property
    def params(self) -> list[str]:
        regex = self.pattern.pattern.regex
        return list(regex.groupindex) or [f"_{n}" for n in range(regex.groups)]


def _join(prefix: str, route: str) -> str:
    # As django.urls.resolvers does for ResolverMatch.route.
    return prefix + route.removeprefix("^") if prefix else route


def _walk(resolver: URLResolver, prefix: str = "", namespaces: tuple = ()):
    for entry in resolver.url_patterns:
        route = _join(prefix, str(entry.pattern))
        if isinstance(entry, URLResolver):
            more = (entry.namespace,) if entry.namespace else ()
            yield from _walk(entry, route, namespaces + more)
        else:
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield Route(route, name, entry)


@functools.cache
def project_routes() -> tuple[Route, ...]:
    return tuple(_walk(get_resolver()))


def page_routes() -> dict[str, Route]:
    found = [r for r in project_routes() if not r.route.startswith(("api/v1/", "admin/"))]
    named = {r.name: r for r in found}
    assert None not in named, f"unnamed URL patterns: {[r.route for r in found if not r.name]}"
    assert len(named) == len(found), "two URL patterns share a name"
    return named


FORMAT_SUFFIX = r"\.(?P<format>[a-z0-9]+)/?$"


def api_routes() -> list[Route]:
    return [r for r in project_routes() if r.route.startswith("api/v1/")]


@functools.cache
def schema_operations() -> frozenset[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return frozenset(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}
    )


def route_of(path: str) -> str:
    """The URL pattern an operation's path resolves to."""
    sample = re.sub(r"\{(\w+)\}", lambda m: "1-2" if m.group(1) == "code" else "1", path)
    return resolve(sample).route


def with_format_suffix(route: str) -> str:
    """The router's variant of a pattern that takes a format suffix (`.json`)."""
    return route.removesuffix("/$") + FORMAT_SUFFIX
