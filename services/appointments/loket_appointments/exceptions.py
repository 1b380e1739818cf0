# SPDX-License-Identifier: EUPL-1.2
"""Errors of the appointments service; each ``code`` is stable (gateway's ERROR_TABLE)."""
from loket_common.errors import Conflict, LoketError


class SlotTaken(Conflict):
    """The slot was taken by someone else (or is not offered)."""

    code = "slot_taken"


class HoldExpired(Conflict):
    """The hold ran out before it was confirmed; the slot is free again."""

    code = "hold_expired"


class BookingLimitReached(Conflict):
    """The person already has as many active bookings of the service as allowed."""

    code = "booking_limit_reached"


class TooManyHolds(LoketError):
    """The client holds as many slots as allowed at once."""

    code = "too_many_holds"


class ChallengeReused(LoketError):
    """A proof-of-work solution may be used once."""

    code = "proof_of_work_reused"


class NotBookable(Conflict):
    """The booking is in a state that does not allow this action."""

    code = "not_allowed_in_state"


class LotteryNotOpen(Conflict):
    """The service takes no lottery entries now (no window open, or first come)."""

    code = "lottery_not_open"


class AlreadyEntered(Conflict):
    """The person already entered this release's lottery."""

    code = "lottery_already_entered"


class VersionConflict(Conflict):
    """The catalogue entry changed since the caller read it (or exists already)."""

    code = "version_conflict"


class BookingsAffected(Conflict):
    """The change would strand confirmed future bookings; ``affected_bookings`` says how many."""

    code = "bookings_affected"
