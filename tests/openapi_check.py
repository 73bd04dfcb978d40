"""Every API response a test receives is checked against the OpenAPI document.

tests/conftest.py's client calls ``check_response`` for each request under /api/: the status
must be documented for the operation (or fall under ``default``), the content type must be
one the document gives for it, and the body must match its schema (JSON Schema 2020-12,
as OpenAPI 3.1 uses it).
"""

from __future__ import annotations

import re
from functools import cache

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec


@cache
def _compiled(spec_id: int):
    spec = _SPECS[spec_id]
    validate_spec(spec)
    routes = []
    for template, operations in spec["paths"].items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        routes.append((re.compile(f"^{pattern}$"), template, operations))
    # Literal segments before parameters: /comments/{id} and /drafts/{n}/comments both match.
    routes.sort(key=lambda r: r[1].count("{"))
    return spec, routes


_SPECS: dict[int, dict] = {}


def spec_of(app) -> dict:
    spec = app.extensions["consult_api"].spec.to_dict()
    key = hash(repr(sorted(spec["paths"])))
    _SPECS.setdefault(key, spec)
    return _compiled(key)


def check_response(app, method: str, path: str, response) -> None:
    if not path.startswith("/api/v1/") or method.upper() in ("HEAD", "OPTIONS"):
        return
    spec, routes = spec_of(app)
    if path == "/api/v1/openapi.json" or path.startswith("/api/v1/docs"):
        return
    status = str(response.status_code)
    match = next((r for r in routes if r[0].match(path)), None)
    operation = match[2].get(method.lower()) if match else None
    if operation is None:
        # No such operation: it must be a problem (404, 405).
        assert response.mimetype == "application/problem+json", (path, response.status_code)
        _validate(spec, {"$ref": "#/components/schemas/Problem"}, response.get_json())
        return
    responses = operation["responses"]
    documented = responses.get(status) or responses.get("default")
    assert documented is not None, f"{method} {path}: status {status} is not documented"
    documented = _resolve(spec, documented)
    content = documented.get("content")
    if not content:
        assert not response.get_data(), f"{method} {path}: {status} should have no body"
        return
    assert response.mimetype in content, f"{method} {path}: {response.mimetype} not in {content}"
    _validate(spec, content[response.mimetype]["schema"], response.get_json())


def _resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _validate(spec: dict, schema: dict, instance) -> None:
    root = {**schema, "components": spec["components"]}
    Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        instance
    )
