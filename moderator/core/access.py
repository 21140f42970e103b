"""Who may do what: the rights an action needs, the roles people are given, and the credential a
request or connection carries (the administrator's token, or an invitation to one event).

The table ``ROLE_RIGHTS`` is the only statement of what each role may do; the action layer
checks every action against it (``Actor.has`` in ``moderator/actions/base.py``), and the pages
show or hide their controls from the same table.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from moderator.core.errors import N_, DomainError, Forbidden


class Right(enum.Enum):
    """What an action needs of the person asking."""

    ANYONE = "anyone"
    # An attendee identity issued by the server (``moderator/identity.py``).
    ATTENDEE = "attendee"
    # A room screen or stage monitor that said which one it is.
    SCREEN = "screen"
    # Every event: list, create, archive, delete.
    ADMIN = "admin"
    # Curating questions, the event's settings and agenda, its invitations and audit trail.
    MODERATOR = "moderator"
    # The clock, the messages to speakers, blackout and flash.
    CLOCK = "clock"
    # Pairing, naming and removing room screens and stage monitors.
    PAIRING = "pairing"
    # Reading the whole queue (every question, in every state).
    QUEUE = "queue"


ADMIN, MODERATOR, TIMEKEEPER, SCREENS = "admin", "moderator", "timekeeper", "screens"
# The roles an invitation may give (the administrator's is the installation's token).
INVITED_ROLES = (MODERATOR, TIMEKEEPER, SCREENS)
ROLE_RIGHTS: dict[str, frozenset[Right]] = {
    ADMIN: frozenset({Right.ADMIN, Right.MODERATOR, Right.CLOCK, Right.PAIRING, Right.QUEUE}),
    MODERATOR: frozenset({Right.MODERATOR, Right.CLOCK, Right.PAIRING, Right.QUEUE}),
    TIMEKEEPER: frozenset({Right.CLOCK, Right.QUEUE}),
    SCREENS: frozenset({Right.PAIRING}),
}
# The rights held through a credential (the others are an attendee's or a screen's).
STAFF_RIGHTS = frozenset().union(*ROLE_RIGHTS.values())
ADMIN_LABEL = "administrator"


@dataclass(frozen=True)
class Credential:
    """An organiser's access: a role, for one event (``event``) or every one (the
    administrator's, ``event`` None), under a label people recognise in the audit trail."""

    role: str
    event: str | None
    label: str
    invitation_id: str | None = None
    # The browser login it came through, if any (logging out or revoking ends it).
    login_id: str | None = None

    def covers(self, code: str | None) -> bool:
        """Whether this credential is for the event ``code`` (the administrator's is for all)."""
        return self.event is None or self.event == code

    def allows(self, right: Right, code: str | None) -> bool:
        """Whether this credential gives ``right`` on the event ``code``."""
        return right in ROLE_RIGHTS[self.role] and self.covers(code)

    def refusal(self, right: Right, code: str | None) -> DomainError:
        """Why this credential does not give ``right`` on ``code``, in words."""
        if code is not None and not self.covers(code):
            return Forbidden(N_("This access is for another event."), "other_event")
        return Forbidden(_ROLE_REFUSALS[self.role], "not_your_role")

    def view(self, code: str) -> dict[str, object]:
        """Who this is, for a page: role, label and rights on the event ``code``."""
        return {"role": self.role, "label": self.label, "rights": self.rights(code)}

    def rights(self, code: str | None) -> list[str]:
        """The rights this credential gives on ``code``, by name (for the pages)."""
        if not self.covers(code):
            return []
        return sorted(right.value for right in ROLE_RIGHTS[self.role])


_ROLE_REFUSALS = {
    ADMIN: N_("Only the administrator may do this."),
    MODERATOR: N_("A moderator's access does not include this."),
    TIMEKEEPER: N_("A timekeeper's access does not include this: ask the event's moderator."),
    SCREENS: N_("Access for screens does not include this: ask the event's moderator."),
}
