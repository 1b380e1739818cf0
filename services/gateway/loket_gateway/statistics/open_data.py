# SPDX-License-Identifier: EUPL-1.2
"""The open data: ``/open-data/<tenant>/``, its ``index.json``, each release and its files.

No sign-in, cacheable. A release file never changes (a correction is a new release), so
it is served ``immutable`` for a year with its SHA-256 as ``ETag`` (``304`` on
``If-None-Match``); ``latest/<file>`` (the newest month's current release) and the
indexes are cached briefly. The HTML pages are German or English (``?lang=``, else the
browser's ``Accept-Language``) and name no signed-in person, so shared caches may keep them.

The path names the tenant, and it must be the host's: the data is public, but each
municipality publishes it under its own address (the DCAT-AP.de record and the data
package name these URLs), so one file has one URL for harvesters and caches. Another
tenant's host answers ``308`` to the same path on that tenant's public URL.
"""
from __future__ import annotations

from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    json,
    redirect,
    render_template,
    request,
)
from marshmallow import Schema, fields
from werkzeug.sansio.response import Response as BaseResponse

from loket_contracts.statistics import schemas as contract

from ..core.hosts import host_tenant
from ..core.i18n import LANGUAGE_NAMES
from ..core.page_helpers import fetched_or_404, services
from ..core.pages import RTL_LANGUAGES
from ..core.tenants import Tenant, tenant_url
from .wording import month_name

blueprint = Blueprint("open_data", __name__, url_prefix="/open-data/<tenant>")
FILE_MAX_AGE = 365 * 24 * 60 * 60
INDEX_MAX_AGE = 5 * 60
R = TypeVar("R", bound=BaseResponse)


class PublishedFileSchema(contract.ReleaseFileSchema):
    """A release file with its address."""

    url = fields.String(required=True)


class PublishedReleaseSchema(contract.ReleaseSchema):
    """A release with its address and its files' addresses."""

    url = fields.String(required=True)
    files = fields.List(fields.Nested(PublishedFileSchema), required=True)


class OpenDataIndexSchema(Schema):
    """``index.json``: every release of a tenant, newest first (the chain)."""

    tenant = fields.String(required=True)
    latest = fields.Integer(required=True, allow_none=True, metadata={
        "description": "number of the newest month's current release"})
    releases = fields.List(fields.Nested(PublishedReleaseSchema), required=True)


def _tenant(tenant: str) -> Tenant:
    """The path's tenant, which must be the host's (404 unknown, 308 to its own host)."""
    found = current_app.extensions["loket_tenants"].get(tenant)
    if found is None:
        abort(404)
    if found.id != host_tenant().id:
        query = request.query_string.decode("latin-1")
        abort(redirect(found.public_url + request.path + (f"?{query}" if query else ""),
                       code=308))
    return found


def _language(tenant: Tenant) -> None:
    """The HTML pages' language: ``?lang=``, else the browser's best, of the tenant's."""
    asked = request.args.get("lang", "")
    g.lang = asked if asked in tenant.languages else (
        request.accept_languages.best_match(tenant.languages) or tenant.default_language)
    g.dir = "rtl" if g.lang in RTL_LANGUAGES else "ltr"


def _cached(response: R, max_age: int, immutable: bool = False) -> R:
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    if immutable:
        response.cache_control.immutable = True
    return response


def with_urls(tenant: str, release: dict[str, Any]) -> dict[str, Any]:
    """A release with its page's and files' absolute URLs."""
    number = release["number"]
    return {**release,
            "url": tenant_url(tenant, "open_data.release_page", tenant=tenant, number=number),
            "files": [{**item, "url": tenant_url(tenant, "open_data.release_file",
                                                 tenant=tenant, number=number,
                                                 name=item["name"])}
                      for item in release["files"]]}


def latest_of(releases: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The newest month's current release (not superseded by a correction), or None."""
    current = [release for release in releases if not release.get("superseded_by")]
    return max(current or releases, key=lambda release: (release["month"], release["number"]),
               default=None)


def _releases(tenant: str) -> list[dict[str, Any]]:
    with services() as rpc:
        return rpc.statistics.list_releases(tenant)


def _page(template: str, tenant: Tenant, **context: Any) -> Response:
    _language(tenant)
    html = render_template(template, publisher=tenant, month_name=month_name,
                           language_names=LANGUAGE_NAMES, **context)
    response = _cached(Response(html, mimetype="text/html"), INDEX_MAX_AGE)
    response.vary.add("Accept-Language")
    return response


@blueprint.get("/")
def index(tenant: str) -> Response:
    """Every release: month, number, when, each file's SHA-256, the previous hash, corrections."""
    found = _tenant(tenant)
    releases = [with_urls(tenant, release) for release in _releases(tenant)]
    return _page("statistics/open_data_index.html", found, releases=releases)


@blueprint.get("/index.json")
def index_json(tenant: str) -> Response:
    """The same as JSON: the chain of releases, newest first."""
    _tenant(tenant)
    releases = _releases(tenant)
    newest = latest_of(releases)
    body = OpenDataIndexSchema().dump({
        "tenant": tenant, "latest": newest["number"] if newest else None,
        "releases": [with_urls(tenant, release) for release in releases]})
    return _cached(Response(json.dumps(body), mimetype="application/json"), INDEX_MAX_AGE)


@blueprint.get("/releases/<int:number>/")
def release_page(tenant: str, number: int) -> Response:
    """One release: its files with their hashes, its link in the chain, what it corrects."""
    found = _tenant(tenant)
    release = fetched_or_404(lambda rpc: rpc.statistics.get_release(tenant, number))
    return _page("statistics/open_data_release.html", found,
                 release=with_urls(tenant, release))


def _file(tenant: str, number: int, name: str, max_age: int, immutable: bool) -> Response:
    if name not in contract.RELEASE_FILES:
        abort(404)
    found = fetched_or_404(lambda rpc: rpc.statistics.release_file(tenant, number, name))
    response = Response(found["content"],
                        content_type=contract.MEDIA_TYPES.get(name, found["media_type"]))
    response.set_etag(found["sha256"])
    _cached(response, max_age, immutable).make_conditional(request)
    return response


@blueprint.get("/releases/<int:number>/<name>")
def release_file(tenant: str, number: int, name: str) -> Response:
    """A release's file as published: never changes, cached for a year."""
    _tenant(tenant)
    return _file(tenant, number, name, FILE_MAX_AGE, immutable=True)


@blueprint.get("/latest/<name>")
def latest_file(tenant: str, name: str) -> Response:
    """The newest month's file (its current release); cached briefly, it moves on."""
    _tenant(tenant)
    if name not in contract.RELEASE_FILES:
        abort(404)
    newest = latest_of(_releases(tenant))
    if newest is None:
        abort(404)
    return _file(tenant, newest["number"], name, INDEX_MAX_AGE, immutable=False)
