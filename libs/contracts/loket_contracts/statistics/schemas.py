# SPDX-License-Identifier: EUPL-1.2
"""What the statistics service answers: figures, settings, counter transactions, releases.

Figures hold counts only; no answer of this service names a person.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..common import Instant, TextSchema
from .measures import CHANNEL, MEASURES, MONTH, OPTIONAL_CHANNELS, PROCESS_KEY, SERVICE_KEY

RELEASE_FILES = ("statistics.csv", "statistics.json", "datapackage.json", "dcat.ttl",
                 "dcat.rdf")
MEDIA_TYPES = {"statistics.csv": "text/csv; charset=utf-8",
               "statistics.json": "application/json",
               "datapackage.json": "application/json",
               "dcat.ttl": "text/turtle; charset=utf-8",
               "dcat.rdf": "application/rdf+xml"}


class LeadTimeSchema(Schema):
    """Submitted -> decided, for the decisions of a month (days, None when none)."""

    decisions = fields.Integer(required=True)
    median_days = fields.Float(required=True, allow_none=True)
    p90_days = fields.Float(required=True, allow_none=True)


class ProcessFiguresSchema(Schema):
    """One process in one month: counts per measure and channel, the digital share."""

    process = fields.String(required=True, validate=PROCESS_KEY)
    name = fields.Nested(TextSchema, required=True, metadata={
        "description": "From the catalogue; the key itself when the process is gone."})
    service_key = fields.String(required=True, allow_none=True, validate=SERVICE_KEY,
                                metadata={"description": "LeiKa/FIM key, if set."})
    counts = fields.Dict(keys=fields.String(validate=validate.OneOf(MEASURES)),
                         values=fields.Dict(keys=fields.String(), values=fields.Integer()),
                         required=True, metadata={"description": "measure -> channel -> n "
                                                                 "(channels with 0 left out)"})
    volume = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                         metadata={"description": "channel -> how often the process was "
                                                  "done (VOLUME_MEASURES)"})
    digital_share = fields.Float(required=True, allow_none=True, metadata={
        "description": "online volume / all volume, 0..1 (None: no volume)"})
    expected_share = fields.Float(required=True, allow_none=True, metadata={
        "description": "what the tenant expects online, 0..1 (None: not set)"})
    gap = fields.Float(required=True, allow_none=True, metadata={
        "description": "digital_share - expected_share (negative: short of it)"})
    lead_time = fields.Nested(LeadTimeSchema, required=True, allow_none=True)


class MonthFiguresSchema(Schema):
    """A tenant's figures for one month (live, or as a release froze them)."""

    tenant = fields.String(required=True)
    month = fields.String(required=True, validate=MONTH)
    published = fields.Boolean(required=True, metadata={
        "description": "True: a release holds this month (the figures here are live ones)."})
    channels = fields.List(fields.String(validate=CHANNEL), required=True)
    processes = fields.List(fields.Nested(ProcessFiguresSchema), required=True)


class SeriesPointSchema(Schema):
    """One month of one process for the charts."""

    month = fields.String(required=True, validate=MONTH)
    volume = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    digital_share = fields.Float(required=True, allow_none=True)
    expected_share = fields.Float(required=True, allow_none=True)
    lead_time = fields.Nested(LeadTimeSchema, required=True, allow_none=True)
    suppressed = fields.List(fields.String(), load_default=list, dump_default=list, metadata={
        "description": "Published figures: the channels whose volume is suppressed (small "
                       "counts); they are absent from volume."})


class ProcessSeriesSchema(Schema):
    """A process month by month."""

    process = fields.String(required=True, validate=PROCESS_KEY)
    name = fields.Nested(TextSchema, required=True)
    service_key = fields.String(required=True, allow_none=True)
    points = fields.List(fields.Nested(SeriesPointSchema), required=True)


class SettingsSchema(Schema):
    """A tenant's statistics settings (tenant admins change them)."""

    threshold = fields.Integer(required=True, validate=validate.Range(min=1, max=100),
                               metadata={"description": "counts below it are published as "
                                                        "suppressed (default 5)"})
    channels = fields.List(fields.String(validate=validate.OneOf(OPTIONAL_CHANNELS)),
                           required=True, metadata={"description": "channels besides online "
                                                                   "and counter"})
    expected_shares = fields.Dict(
        keys=fields.String(validate=PROCESS_KEY),
        values=fields.Float(validate=validate.Range(min=0, max=1)), required=True,
        metadata={"description": "process -> the digital share the tenant expects, 0..1"})
    version = fields.Integer(dump_only=True)


class CounterTransactionSchema(Schema):
    """A finished counter transaction with no Loket case: process and channel, nobody's data."""

    process = fields.String(required=True, validate=PROCESS_KEY)
    channel = fields.String(load_default="counter", validate=CHANNEL)
    id = fields.String(dump_only=True)
    recorded_at = Instant(dump_only=True)


class ReleaseFileSchema(Schema):
    """A file of a release and its SHA-256."""

    name = fields.String(required=True, validate=validate.OneOf(RELEASE_FILES))
    media_type = fields.String(required=True)
    sha256 = fields.String(required=True)
    bytes = fields.Integer(required=True)


class ReleaseSchema(Schema):
    """A published month: never changed; a correction is a new release pointing at it."""

    id = fields.String(required=True)
    tenant = fields.String(required=True)
    number = fields.Integer(required=True, metadata={"description": "1, 2, ... per tenant"})
    month = fields.String(required=True, validate=MONTH)
    published_at = Instant(required=True)
    files = fields.List(fields.Nested(ReleaseFileSchema), required=True)
    previous_hash = fields.String(required=True, allow_none=True, metadata={
        "description": "release_hash of the tenant's release number - 1 (None for the first)"})
    release_hash = fields.String(required=True, metadata={
        "description": "SHA-256 over the release's canonical header (ids, files' hashes, "
                       "previous_hash, correction)"})
    corrects = fields.String(required=True, allow_none=True,
                             metadata={"description": "id of the release it corrects"})
    reason = fields.String(required=True, allow_none=True)
    changes = fields.List(fields.String(), required=True, metadata={
        "description": "What changed against the corrected release, one line each."})
    superseded_by = fields.String(load_default=None, allow_none=True, dump_default=None,
                                  metadata={"description": "id of the newest correction"})


class ReleaseFileContentSchema(ReleaseFileSchema):
    """A release file with its content (text)."""

    content = fields.String(required=True)


class ChainReportSchema(Schema):
    """What verifying a tenant's chain of releases found."""

    tenant = fields.String(required=True)
    releases = fields.Integer(required=True)
    ok = fields.Boolean(required=True)
    problems = fields.List(fields.String(), required=True, metadata={
        "description": "One line per broken link or changed file (release number, file)."})


class CorrectionSchema(Schema):
    """A tenant admin's (or operator's) request to correct a published month."""

    month = fields.String(required=True, validate=MONTH)
    reason = fields.String(required=True, validate=validate.Length(min=3, max=2000))
