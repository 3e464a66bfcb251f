"""The JSON API. Each app adds its router here; the OpenAPI schema is at /api/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI

from coresponse import __version__

api = NinjaAPI(
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
