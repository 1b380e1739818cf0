# SPDX-License-Identifier: EUPL-1.2
"""Errors of the appointments service; each declares its status, stable code and title."""
from loket_common.errors import Conflict, LoketError, NotFound


class SlotTaken(Conflict):
    """The slot was taken by someone else (or is not offered)."""

    status, code, title = 409, "slot_taken", "Slot taken"


class HoldExpired(Conflict):
    """The hold ran out before it was confirmed; the slot is free again."""

    status, code, title = 409, "hold_expired", "Hold expired"


class BookingLimitReached(Conflict):
    """The person already has as many active bookings of the service as allowed."""

    status, code, title = 409, "booking_limit_reached", "Booking limit reached"


class TooManyHolds(LoketError):
    """The client holds as many slots as allowed at once."""

    status, code, title = 429, "too_many_holds", "Too many holds"


class ChallengeReused(LoketError):
    """A proof-of-work solution may be used once."""

    status, code, title = 403, "proof_of_work_reused", "Proof of work already used"


class NotBookable(Conflict):
    """The booking is in a state that does not allow this action."""

    status, code, title = 409, "not_allowed_in_state", "Not possible in this state"


class LotteryNotOpen(Conflict):
    """The service takes no lottery entries now (no window open, or first come)."""

    status, code, title = 409, "lottery_not_open", "No lottery open"


class AlreadyEntered(Conflict):
    """The person already entered this release's lottery."""

    status, code, title = 409, "lottery_already_entered", "Already entered"


class VersionConflict(Conflict):
    """The catalogue entry changed since the caller read it (or exists already)."""

    status, code, title = 412, "version_conflict", "Changed meanwhile"


class BookingsAffected(Conflict):
    """The change would strand confirmed future bookings; ``affected_bookings`` says how many."""

    status, code, title = 409, "bookings_affected", "Confirmed bookings would be stranded"


class IdentityRequired(LoketError):
    """The service can be booked only signed in (``required_level`` names the trust level)."""

    status, code, title = 401, "identity_required", "Sign-in required"


class TrustLevelTooLow(LoketError):
    """The sign-in's trust level is below the service's ``identity_required``."""

    status, code, title = 403, "trust_level_too_low", "Higher trust level needed"


class NotTransferable(LoketError):
    """A booking bound to a person is moved or cancelled only by that person."""

    status, code, title = 403, "booking_not_transferable", "Booking bound to its person"


class BookingNotFound(NotFound):
    """No booking with this reference in this tenant."""

    status, code, title = 404, "booking_not_found", "No such booking"


class RoleNotAllowed(LoketError):
    """The member of staff's role may not do this (``allowed`` names the roles that may)."""

    status, code, title = 403, "forbidden", "Not allowed"  # as the gateway's own
