"""GET /metrics: Prometheus' text format, for administrators signed in on the app's port.

A Prometheus server cannot sign in: give it DESKPILOT_METRICS_PORT, where `deskpilot serve`
answers /metrics without sign-in on DESKPILOT_METRICS_HOST (README, Operations)."""

from fastapi import APIRouter, Response

from deskpilot.api.deps import AdminUser
from deskpilot.core.metrics import exposition

router = APIRouter(tags=["operations"])


@router.get("/metrics", include_in_schema=False)
async def metrics(_: AdminUser) -> Response:
    body, content_type = exposition()
    return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})
