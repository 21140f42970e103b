"""The strings the browser scripts show, translated on the server and handed to them as JSON."""

from flask_babel import gettext as _

from moderator import locale


def _n(singular: str, plural: str) -> dict[str, str]:
    """A count's text in each plural form of the page's language; ``tn(key, n)`` picks one."""
    return locale.plural_forms(singular, plural, locale.current())


def attendee_messages() -> dict[str, str | dict[str, str]]:
    """Strings used by the attendee page's script."""
    return {
        **_status_messages(),
        **time_messages(),
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
        "votes": _n("vote", "votes"),
        "anonymous": _("Anonymous"),
        "merged_into": _("Merged into: {text}"),
        "similar_title": _("Already asked? Upvote it instead:"),
        "sort_votes": _("Most votes"),
        "sort_recent": _("Most recent"),
        "all_themes": _("All themes"),
        "waiting": _("Waiting to be sent: kept on this device"),
        "retrying": _("It will be sent again by itself."),
        # Past a rate limit: what the page holds goes again by itself after the wait. {duration}
        # comes formatted by the browser in the page's language ("5 s", "5 с", "5秒").
        "sending_again": _("Sending again in {duration}"),
        "vote_pending": _("not recorded yet; it will be sent again by itself"),
        "unavailable": _("The server is unavailable for a moment: retrying…"),
        # Said once (a polite live region) when the attendee's own question moves on.
        "announce_status": _("Your question “{text}”: {status}"),
        # Said once when the text goes past the limit, instead of the count at every keystroke.
        "over_limit": _n(
            "Your question is longer than {n} character.",
            "Your question is longer than {n} characters.",
        ),
    }


def moderator_messages() -> dict[str, str | dict[str, str]]:
    """Strings used by the moderator dashboard's script."""
    return {
        **_status_messages(),
        **time_messages(),
        "role_admin": _("administrator"),
        "role_moderator": _("moderator"),
        "role_timekeeper": _("timekeeper"),
        "role_screens": _("screens"),
        "no_actions": _("No actions recorded yet."),
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
        # {duration} comes formatted by the browser in the page's language, plural included
        # ("5 minutes", "1 minute", "5 минут"): the sentence itself needs no plural.
        "late": _("Running {duration} late"),
        "early": _("Running {duration} early"),
        "projected_end": _("projected end {time}, planned {planned}"),
        "planned": _("planned"),
        "started": _("started"),
        "no_screens": _(
            "No screen is paired yet: open a room screen, then pair it with the code it shows."
        ),
        "screen_paired": _("Screen paired: {name}"),
        "rename": _("Rename"),
        "rename_prompt": _("New name for this screen"),
        "remove": _("Remove"),
        "disconnected": _("disconnected"),
        "stale": _("stale"),
        "imprecise": _("imprecise"),
        "no_message": _("nothing"),
        "queue": _("Up next"),
        "unqueue": _("Remove from up next"),
        "more": _("More…"),
        "edit_text": _("Text"),
        "save_text": _("Save text"),
        "theme": _("Theme"),
        "save_theme": _("Change theme"),
        "merge_into_id": _("Merge into question number"),
        "merge": _("Merge"),
        "merge_into": _("Merge into #{id}"),
        "merged_into": _("Merged into #{id}"),
        "similar_to": _("Similar to"),
        "edited": _("Edited: original text"),
        "suggested_next": _("Suggested next:"),
        "now_discussing": _("Now discussing"),
        "no_current_theme": _("no theme set"),
        "segment_left": _("{duration} left in this segment"),
        "saved": _("Saved."),
        "floor_logged": _("Floor question logged."),
        "unavailable": _("The server is unavailable for a moment: retrying…"),
        "showing": _("Showing {shown} of {total}."),
        "show_more": _n("Show {n} more", "Show {n} more"),
        "new_questions": _n("{n} new question.", "{n} new questions."),
        "confirm_start": _("Start the room's clock?"),
        "confirm_pause": _("Pause the room's clock?"),
        "confirm_resume": _("Resume the room's clock?"),
        "confirm_goto": _("Move the room's clock to “{title}”?"),
        # {ago} comes formatted by the browser: "5 minutes ago", "il y a 5 minutes".
        "left_ago": _("left {ago}"),
        "screens_left": _("Screens that left ({n})"),
    }


def time_messages() -> dict[str, str]:
    """Strings used by every page that shows the event's time (static/js/locale.js)."""
    return {
        # Beside a time shown in the event's zone, when the viewer's own zone differs; {time}
        # comes formatted by the browser in the page's language.
        "your_time": _("({time} your time)"),
    }


def _status_messages() -> dict[str, str | dict[str, str]]:
    return {
        "status_pending": _("Awaiting review"),
        "status_approved": _("Approved"),
        "status_live": _("On screen now"),
        "status_answered": _("Answered"),
        "status_dismissed": _("Not selected"),
        "status_merged": _("Merged with a similar question"),
    }
