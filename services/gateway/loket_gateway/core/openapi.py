# SPDX-License-Identifier: EUPL-1.2
"""The OpenAPI 3 document, generated from the routes and their marshmallow schemas.

Each API view is marked with :func:`operation`; :func:`build_spec` walks Flask's
URL map, so a route cannot exist without appearing in ``/openapi.json``.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

from . import api_schemas

OPERATION_ATTR = "_openapi_operation"
PROBLEM = {"application/problem+json": {"schema": "Problem"}}
RULE_ARGUMENT = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def operation(summary: str, responses: dict[int, tuple[str, Any]], *,
              request: Any = None, query: Any = None, tags: tuple[str, ...] = (),
              security: bool | str = False,
              headers: dict[str, str] | None = None,
              request_media: str = "application/json") -> Callable:
    """Describe an API view: ``responses`` maps status -> (description, schema or None).

    ``query`` is a schema whose fields are the query parameters; ``security`` names
    the security scheme (True: the profile token); ``headers`` maps request header
    names to their descriptions; ``request_media`` is the request body's media type.
    """
    def mark(view: Callable) -> Callable:
        setattr(view, OPERATION_ATTR, {"summary": summary, "responses": responses,
                                       "request": request, "query": query, "tags": tags,
                                       "security": security, "headers": headers or {},
                                       "request_media": request_media})
        return view
    return mark


def _operation_object(view: Callable, rule_arguments: list[str]) -> dict[str, Any]:
    meta = getattr(view, OPERATION_ATTR)
    responses: dict[str, Any] = {}
    for status, (description, schema) in meta["responses"].items():
        responses[str(status)] = {"description": description}
        if schema is not None:
            responses[str(status)]["content"] = {"application/json": {"schema": schema}}
    for status, description in ((400, "Invalid request"), (404, "Unknown tenant or resource"),
                                (503, "A service is unavailable"),
                                (504, "A service did not answer in time")):
        responses.setdefault(str(status), {"description": description, "content": PROBLEM})
    result: dict[str, Any] = {
        "summary": meta["summary"],
        "operationId": view.__name__,
        "tags": list(meta["tags"]),
        "parameters": [{"in": "path", "name": name, "required": True,
                        "schema": {"type": "string"}} for name in rule_arguments],
        "responses": responses,
    }
    result["parameters"].extend({"in": "header", "name": name, "required": False,
                                 "description": description, "schema": {"type": "string"}}
                                for name, description in meta["headers"].items())
    if meta["query"] is not None:
        result["parameters"].append({"in": "query", "schema": meta["query"]})
    if meta["request"] is not None:
        result["requestBody"] = {"required": True,
                                 "content": {meta["request_media"]: {"schema": meta["request"]}}}
    if meta["security"]:
        scheme = "residentToken" if meta["security"] is True else meta["security"]
        result["security"] = [{scheme: []}]
    return result


def build_spec(app: Flask) -> dict[str, Any]:
    """The OpenAPI document of every marked route of ``app``."""
    spec = APISpec(
        title="Loket API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Digital counter of a municipality: appointments, permits, "
                             "profile. Errors are application/problem+json with a stable "
                             "`code`.",
              "license": {"name": "EUPL-1.2",
                          "url": "https://interoperable-europe.ec.europa.eu/collection/eupl"}},
    )
    spec.components.schema("Problem", schema=api_schemas.ProblemSchema)
    spec.components.security_scheme("residentToken", {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": "A resident's access token from the municipality's sign-in "
                       "(OpenID Connect; see docs/identity.md)."})
    spec.components.security_scheme("manageToken", {
        "type": "apiKey", "in": "header", "name": "X-Manage-Token",
        "description": "The secret of a booking's manage link."})
    spec.components.security_scheme("statusToken", {
        "type": "apiKey", "in": "header", "name": "X-Status-Token",
        "description": "The secret of a lottery entry's status link."})
    spec.components.security_scheme("staffToken", {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": "A staff member's access token from the municipality's staff sign-in "
                       "(OpenID Connect; roles in the `loket_roles` claim)."})
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        if not hasattr(view, OPERATION_ATTR):
            continue
        arguments = RULE_ARGUMENT.findall(rule.rule)
        path = RULE_ARGUMENT.sub(r"{\1}", rule.rule)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        spec.path(path=path, operations={
            method.lower(): _operation_object(view, arguments) for method in methods})
    return spec.to_dict()
