"""The JSON API. Each app adds its router here; the OpenAPI schema is at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from coresponse import __version__


class CoResponseAPI(NinjaAPI):
    """django-ninja, with the schemas of request bodies that a route reads itself
    (``POST /api/triage``: see ``api_triage.answer_triage``) added to the OpenAPI components."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: Any = None
    ) -> OpenAPISchema:
        from coresponse.web.api_triage import call_schemas

        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"]["schemas"].update(call_schemas())
        return schema


api = CoResponseAPI(
    title="CoResponse API",
    version=__version__,
    description="Triage decisions and programme data for crisis response.",
    urls_namespace="api",
)


@api.get("/health", summary="Liveness check", tags=["system"])
def health(request: object) -> dict[str, str]:
    return {"status": "ok", "version": __version__}


from coresponse.web.api_triage import router as triage_router  # noqa: E402

api.add_router("/triage", triage_router)
