"""The strings the browser scripts show, translated on the server and handed to them as JSON."""

from flask_babel import gettext as _


def attendee_messages() -> dict[str, str]:
    """Strings used by the attendee page's script."""
    return {
        **_status_messages(),
        "sending": _("Sending…"),
        "queued": _("Saved on this device; it will be sent when the connection is back."),
        "sent": _("Sent. Thank you!"),
        "sent_review": _("Sent. It will appear once a moderator approves it."),
        "error_empty": _("Write your question first."),
        "error_theme": _("Choose a theme."),
        "error_long": _("Your question is too long."),
        "online": _("Connected"),
        "offline": _("Offline: questions are kept and sent when the connection is back."),
        "connecting": _("Connecting…"),
        "no_mine": _("You have not sent a question yet."),
        "no_public": _("No questions published yet."),
        "vote": _("Upvote"),
        "unvote": _("Remove my vote"),
        "votes": _("votes"),
        "anonymous": _("Anonymous"),
    }


def moderator_messages() -> dict[str, str]:
    """Strings used by the moderator dashboard's script."""
    return {
        **_status_messages(),
        "approve": _("Approve"),
        "dismiss": _("Dismiss"),
        "restore": _("Restore"),
        "live": _("Put on screen"),
        "unlive": _("Take off screen"),
        "answered": _("Mark answered"),
        "star": _("Star"),
        "unstar": _("Unstar"),
        "online": _("Live"),
        "offline": _("Reconnecting… actions are paused"),
        "connecting": _("Connecting…"),
        "empty": _("Nothing here."),
        "nothing_live": _("No question on screen."),
        "anonymous": _("Anonymous"),
        "via_online": _("online"),
        "via_room": _("room"),
        "via_floor": _("floor"),
        "votes": _("votes"),
        "all": _("All"),
        "premod_on": _("Review before publishing: on"),
        "premod_off": _("Review before publishing: off"),
        "failed": _("Not done:"),
        "start": _("Start"),
        "pause": _("Pause"),
        "resume": _("Resume"),
        "state_idle": _("Ready"),
        "state_running": _("Running"),
        "state_paused": _("Paused"),
        "on_time": _("On time"),
        "late": _("Running {n} min late"),
        "early": _("Running {n} min early"),
        "projected_end": _("projected end {time}, planned {planned}"),
        "planned": _("planned"),
        "started": _("started"),
        "no_screens": _("No screen has connected yet."),
        "disconnected": _("disconnected"),
        "seconds_ago": _("{n} s ago"),
        "stale": _("stale"),
        "imprecise": _("imprecise"),
        "no_message": _("nothing"),
    }


def _status_messages() -> dict[str, str]:
    return {
        "status_pending": _("Awaiting review"),
        "status_approved": _("Approved"),
        "status_live": _("On screen now"),
        "status_answered": _("Answered"),
        "status_dismissed": _("Not selected"),
    }
