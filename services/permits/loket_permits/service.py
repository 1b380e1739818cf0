# SPDX-License-Identifier: EUPL-1.2
"""Entrypoints of the permits service (the RPC contract in docs/architecture.md, Permits)."""
from __future__ import annotations

from typing import Any

from loket_common import health, resident_data_rpc
from loket_common.errors import NotFound, ValidationFailed
from loket_common.outbox import OutboxRelay
from loket_common.sealed_rpc import rpc
from loket_common.tenant import checked_tenant
from loket_common.validation import load
from loket_contracts.permits.applications import (
    ApplicationSchema,
    ApplicationSummarySchema,
    AttachmentSchema,
    CaseSummarySchema,
)
from loket_contracts.permits.catalogue import TypeSchema, TypeSummarySchema
from loket_contracts.permits.counter import (
    CounterActorSchema,
    CounterEntrySchema,
    CounterReceiptSchema,
)
from loket_contracts.permits.schemas import (
    ActorSchema,
    ApplicantSchema,
    InformationRequestSchema,
    OnBehalfOfSchema,
    QueueQuerySchema,
    ReasonSchema,
    UploadSchema,
)

from .case_notice import notice
from .dependencies import PermitsDatabase

application_out = ApplicationSchema()


def _reason(value: Any) -> str | None:
    return load(ReasonSchema(), {"reason": value})["reason"] if value is not None else None


def _data(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationFailed("The form data must be an object.",
                               invalid_params=[{"name": "data", "reason": "Not an object."}])
    return value


def _id(value: Any, name: str = "application_id") -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 64:
        raise ValidationFailed("Malformed identifier.",
                               invalid_params=[{"name": name, "reason": "Not an identifier."}])
    return value


class PermitsService(health.HealthMixin, resident_data_rpc.ResidentDataMixin):
    """Application types (layered data files) and applications with their workflow.

    ``health`` and the GDPR ``export_subject`` / ``erase_subject`` come from the mixins
    (named through their modules: ``nameko run`` starts every class here with entrypoints).
    """

    name = "permits"

    store = PermitsDatabase()
    relay = OutboxRelay()

    # application types
    @rpc
    def list_permit_types(self, tenant: str) -> list[dict[str, Any]]:
        """The application types the tenant offers, with fields and documents."""
        return TypeSummarySchema(many=True).dump(self.store.permit_types(checked_tenant(tenant)))

    @rpc
    def get_permit_type(self, tenant: str, type_id: str) -> dict[str, Any]:
        """One application type with its fee rules and workflow."""
        return TypeSchema().dump(self.store.permit_type(checked_tenant(tenant),
                                                        _id(type_id, "type_id")))

    # applicants
    @rpc
    def create_application(self, tenant: str, applicant: dict[str, Any], type_id: str,
                           data: dict[str, Any],
                           on_behalf_of: dict[str, Any] | None = None) -> dict[str, Any]:
        """Start a draft (data checked for types only)."""
        desk = self.store.desk(checked_tenant(tenant))
        company = load(OnBehalfOfSchema(), on_behalf_of) if on_behalf_of is not None else None
        return application_out.dump(desk.create(load(ApplicantSchema(), applicant),
                                                _id(type_id, "type_id"), _data(data), company))

    @rpc
    def update_draft(self, tenant: str, applicant: dict[str, Any], application_id: str,
                     data: dict[str, Any]) -> dict[str, Any]:
        """Merge fields into a draft (or an application awaiting information)."""
        subject = load(ApplicantSchema(), applicant)["subject"]
        return application_out.dump(self.store.desk(checked_tenant(tenant)).update_draft(
            subject, _id(application_id), _data(data)))

    @rpc
    def add_attachment(self, tenant: str, applicant: dict[str, Any], application_id: str,
                       document_id: str, filename: str, content_base64: str) -> dict[str, Any]:
        """Upload a file for one of the type's documents (type detected from the content)."""
        subject = load(ApplicantSchema(), applicant)["subject"]
        upload = load(UploadSchema(), {"document_id": document_id, "filename": filename})
        attachment = self.store.desk(checked_tenant(tenant)).add_attachment(
            subject, _id(application_id), upload["document_id"],
            upload["filename"], content_base64)
        return AttachmentSchema().dump(attachment)

    @rpc
    def remove_attachment(self, tenant: str, applicant: dict[str, Any], application_id: str,
                          attachment_id: str) -> None:
        """Remove one of the applicant's files."""
        subject = load(ApplicantSchema(), applicant)["subject"]
        self.store.desk(checked_tenant(tenant)).remove_attachment(
            subject, _id(application_id), _id(attachment_id, "attachment_id"))

    @rpc
    def get_attachment(self, tenant: str, application_id: str, attachment_id: str,
                       applicant: dict[str, Any] | None = None,
                       actor: dict[str, Any] | None = None) -> dict[str, Any]:
        """A file: the applicant's own, or any of the tenant's for staff."""
        desk = self.store.desk(checked_tenant(tenant))
        if actor is not None:
            staff = load(ActorSchema(), actor)
            subject = None
        else:
            staff = None
            subject = load(ApplicantSchema(), applicant or {})["subject"]
        found = desk.attachment(_id(application_id), _id(attachment_id, "attachment_id"),
                                subject, staff)
        if staff:
            self.relay.nudge()
        return found

    @rpc
    def submit_application(self, tenant: str, applicant: dict[str, Any],
                           application_id: str) -> dict[str, Any]:
        """Submit a complete draft: fee, due date, event ``permit_submitted``."""
        subject = load(ApplicantSchema(), applicant)["subject"]
        submitted = self.store.desk(checked_tenant(tenant)).submit(subject, _id(application_id))
        self.relay.nudge()
        return application_out.dump(submitted)

    @rpc
    def withdraw_application(self, tenant: str, applicant: dict[str, Any], application_id: str,
                             reason: str | None = None) -> dict[str, Any]:
        """The applicant withdraws the application."""
        subject = load(ApplicantSchema(), applicant)["subject"]
        withdrawn = self.store.desk(checked_tenant(tenant)).withdraw(
            subject, _id(application_id), _reason(reason))
        self.relay.nudge()
        return application_out.dump(withdrawn)

    @rpc
    def answer_information_request(self, tenant: str, applicant: dict[str, Any],
                                   application_id: str, data: dict[str, Any],
                                   message: str | None = None) -> dict[str, Any]:
        """Add what was asked for and resubmit."""
        subject = load(ApplicantSchema(), applicant)["subject"]
        answered = self.store.desk(checked_tenant(tenant)).answer(
            subject, _id(application_id), _data(data), _reason(message))
        self.relay.nudge()
        return application_out.dump(answered)

    @rpc
    def my_applications(self, tenant: str, applicant_subject: str) -> list[dict[str, Any]]:
        """The applicant's own applications, newest first."""
        subject = _id(applicant_subject, "applicant_subject")
        return ApplicationSummarySchema(many=True).dump(
            self.store.desk(checked_tenant(tenant)).mine(subject))

    @rpc
    def get_application(self, tenant: str, applicant_subject: str,
                        application_id: str) -> dict[str, Any]:
        """The applicant's own application (NotFound for anyone else's)."""
        return application_out.dump(self.store.desk(checked_tenant(tenant)).own(
            _id(applicant_subject, "applicant_subject"), _id(application_id)))

    # staff at the counter (the gateway checked the role for the tenant)
    @rpc
    def enter_counter_application(self, tenant: str, entry: dict[str, Any],
                                  actor: dict[str, Any]) -> dict[str, Any]:
        """An application received at the counter: checked as a submission, submitted now."""
        checked_actor = load(CounterActorSchema(), actor)
        entered = self.store.desk(checked_tenant(tenant)).enter_at_counter(
            load(CounterEntrySchema(), entry), checked_actor)
        self.relay.nudge()
        return CounterReceiptSchema().dump(entered)

    # case workers (the gateway checked the role for the tenant)
    @rpc
    def case_queue(self, tenant: str, query: dict[str, Any]) -> dict[str, Any]:
        """A filtered page of the tenant's cases, by due date (keyset paging).

        ``{"items", "next", "total"}``; ``total`` is null for an ``overdue`` filter with
        more than 1,000 candidates (see case_queue).
        """
        page = self.store.desk(checked_tenant(tenant)).queue(load(QueueQuerySchema(), query))
        return {**page, "items": CaseSummarySchema(many=True).dump(page["items"])}

    @rpc
    def get_case(self, tenant: str, application_id: str,
                 actor: dict[str, Any] | None = None) -> dict[str, Any]:
        """Any application of the tenant; opened by staff (``actor``), the access is logged."""
        desk = self.store.desk(checked_tenant(tenant))
        if actor is None:
            return application_out.dump(desk.case(_id(application_id)))
        case = desk.read_case(_id(application_id), load(ActorSchema(), actor))
        self.relay.nudge()
        return application_out.dump(case)

    @rpc
    def assign_case(self, tenant: str, application_id: str, assignee_subject: str | None,
                    actor: dict[str, Any]) -> dict[str, Any]:
        """Assign a case (None: to nobody)."""
        checked_actor = load(ActorSchema(), actor)
        assignee = _id(assignee_subject, "assignee_subject") if assignee_subject else None
        return application_out.dump(self.store.desk(checked_tenant(tenant)).assign(
            _id(application_id), assignee, checked_actor))

    @rpc
    def transition_case(self, tenant: str, application_id: str, to_state: str,
                        reason: str | None, actor: dict[str, Any],
                        information_request: dict[str, Any] | None = None) -> dict[str, Any]:
        """Review, ask for information, approve or reject, as the type's workflow allows."""
        checked_actor = load(ActorSchema(), actor)
        request = (load(InformationRequestSchema(), information_request)
                   if information_request is not None else None)
        moved = self.store.desk(checked_tenant(tenant)).transition(
            _id(application_id), _id(to_state, "to_state"), _reason(reason), checked_actor,
            request)
        self.relay.nudge()
        return application_out.dump(moved)

    # the notifications service (at send time)
    @rpc
    def application_for_notification(self, tenant: str, application_id: str) -> dict[str, Any]:
        """What a notification about the application says (``ApplicationNoticeSchema``).

        A machine's read for the applicant, not a staff access: nothing is logged.
        """
        tenant = checked_tenant(tenant)
        case = self.store.desk(tenant).case(_id(application_id))
        try:
            permit_type: dict[str, Any] | None = self.store.permit_type(tenant, case["type_id"])
        except NotFound:  # a type the tenant no longer offers
            permit_type = None
        return notice(case, permit_type)
