"""The JSON API for the city's other systems (/api/v1/), with its OpenAPI description."""

from flask_smorest import Blueprint

bp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Proposals, drafts, sections, comments, answers and participation.",
)
