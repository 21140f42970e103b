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
        **speaker_messages(),
        # The speaking-time panel (static/js/moderate-speaking.js). {share} and {target} come
        # formatted by the browser as percentages ("24 %"), {gap} as signed points ("-12").
        "nobody": _("Nobody"),
        "floor_share": _("{share} of the floor"),
        # A group's share is of the time of the speakers who declared a group.
        "group_share": _("{share} of the grouped speakers' time"),
        "gap_target": _("{gap} pts vs {target} target"),
        "no_floor_time": _("Nobody has spoken yet."),
        "speaking_failed": _("The floor did not change:"),
        "interval_speaker": _("Speaker"),
        "interval_start": _("Start"),
        "interval_end": _("End"),
        "interval_open": _("still speaking"),
        "interval_save": _("Save"),
        "interval_saved": _("Interval corrected."),
        "interval_unchanged": _("Nothing to save: change the speaker, the start or the end."),
        "interval_bad_time": _("Type a time as hours:minutes:seconds."),
        "no_intervals": _("Nothing recorded yet."),
        "guiding_question": _("Guiding question"),
        "guiding_none": _("None"),
        # {n} is the guiding question's number in its theme's list.
        "guiding_link": _("Takes up guiding question {n}:"),
        "speaker_time_on": _("Stage monitors show the speaker's time."),
        "speaker_time_off": _("Stage monitors no longer show the speaker's time."),
    }


def speaker_messages() -> dict[str, str]:
    """The speakers every event has, as the dashboard and the stage monitor name them (the
    intervals store the English), and the stage monitor's speaking-time line."""
    return {
        "speaker_moderator": _("Moderator"),
        "speaker_audience-room": _("Audience, in the room"),
        "speaker_audience-online": _("Audience, online"),
        # On the stage monitor, after the current speaker's time this turn; {time} is like 7:40.
        "speaker_total": _("total {time}"),
    }


def stage_messages() -> dict[str, str | dict[str, str]]:
    """Strings used by the stage monitor's script (the room screen's, and its speaker line)."""
    return {**attendee_messages(), **speaker_messages()}


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


def workspace_messages() -> dict[str, str | dict[str, str]]:
    """Strings used by the organiser's workspace scripts: the events list (workspace.js) and
    the event editor (event-editor.js), with what both share (workspace-api.js)."""
    return {
        # Shared: calls to the server, confirmations, refusals.
        "offline": _("The server could not be reached: nothing was changed. Try again."),
        "failed_status": _("The server could not do it (error {status}). Try again."),
        # A refusal of an event file or form at a place in it: {place} is like
        # "segments[2].minutes" and stays as it is; {message} says what is wrong there.
        "at_place": _("At {place}: {message}"),
        "confirm_delete": _(
            "Delete “{title}” ({code})? Its questions are deleted with it. This cannot be undone."
        ),
        "delete_yes": _("Delete the event and its questions"),
        "archive": _("Archive"),
        "unarchive": _("Unarchive"),
        # The events list.
        "questions_count": _n("{n} question", "{n} questions"),
        "duplicate_of": _(
            "A copy of “{title}”, with its agenda and themes, without its questions:"
        ),
        "duplicated": _("Copied as “{title}” ({code})."),
        "archived_done": _("“{title}” is archived."),
        "unarchived_done": _("“{title}” is back in the lists."),
        "deleted": _("“{title}” is deleted."),
        "import_choose": _("Choose an event file (.toml) first."),
        "importing": _("Importing…"),
        "imported": _("Imported “{title}” ({code})."),
        # The event editor.
        "segment_n": _("Segment {n}"),
        "theme_n": _("Theme {n}"),
        "panelist_n": _("Panelist {n}"),
        "moved": _("“{title}” moved to position {position} of {count}."),
        "already_first": _("Already first."),
        "already_last": _("Already last."),
        "removed": _("“{title}” removed. It goes when you save."),
        "saving": _("Saving…"),
        "saved_version": _("Saved, version {version}."),
        "not_saved": _("Not saved."),
        "edit_event": _("Edit event"),
        "save": _("Save"),
        "code_fixed": _("The code is in the event's links and cannot change."),
        "confirm_load_theirs": _(
            "Load the version someone else saved? What you changed here since you opened the "
            "event is discarded."
        ),
        "load_theirs_yes": _("Discard my changes and load theirs"),
        "loaded_version": _("Version {version} loaded."),
        "role_admin": _("Administrator"),
        "role_moderator": _("Moderator"),
        "role_timekeeper": _("Timekeeper"),
        "role_screens": _("Screens"),
        # {when} comes formatted by the browser; {who} is the label of whoever created it.
        "created_by": _("Created {when} by {who}"),
        "active": _("Active"),
        "revoked_at": _("Revoked {when}"),
        "revoke": _("Revoke"),
        "confirm_revoke": _("Revoke the link for “{label}”? It stops working at once."),
        "revoke_yes": _("Revoke the link"),
        "revoked": _("The link for “{label}” is revoked."),
        "new_link_for": _("New link for “{label}” ({role}):"),
        "copied": _("Copied."),
        "copy_failed": _("Select the link and copy it with Ctrl+C (⌘C on a Mac)."),
        "confirm_erase": _(
            "Erase the names and affiliations of this event's askers now? Their questions stay. "
            "This cannot be undone."
        ),
        "erase_yes": _("Erase the names"),
        "erased": _n("Names erased from {n} question.", "Names erased from {n} questions."),
        "archived_now": _("The event is archived."),
        "unarchived_now": _("The event is back in the lists."),
        **_audit_actions(),
    }


def _audit_actions() -> dict[str, str]:
    """What the recent actions list says for each action of the registry (``action_`` and its
    name); an action not listed here is shown by its name."""
    named = {
        "events.create": _("created the event"),
        "event.update": _("saved the event"),
        "event.archive": _("archived or unarchived the event"),
        "invitation.create": _("gave a link"),
        "invitation.revoke": _("revoked a link"),
        "names.erase": _("erased askers' names"),
        "settings": _("changed the settings"),
        "floor": _("logged a floor question"),
        "reorder": _("reordered up next"),
        "question.approve": _("approved a question"),
        "question.dismiss": _("dismissed a question"),
        "question.restore": _("restored a question"),
        "question.live": _("put a question on screen"),
        "question.unlive": _("took a question off screen"),
        "question.answered": _("marked a question answered"),
        "question.star": _("starred a question"),
        "question.unstar": _("unstarred a question"),
        "question.queue": _("added a question to up next"),
        "question.unqueue": _("removed a question from up next"),
        "question.edit": _("edited a question"),
        "question.retag": _("changed a question's theme"),
        "question.merge": _("merged questions"),
        "timer.start": _("started the clock"),
        "timer.pause": _("paused the clock"),
        "timer.resume": _("resumed the clock"),
        "timer.adjust": _("added or took time"),
        "timer.reset": _("reset the segment"),
        "timer.next": _("moved to the next segment"),
        "timer.previous": _("moved to the previous segment"),
        "timer.goto": _("moved to a segment"),
        "display.message": _("sent a message to the speakers"),
        "display.clear": _("cleared the message"),
        "display.blackout": _("blacked out the room screens"),
        "display.flash": _("flashed the stage monitor"),
        "display.speaker_time": _("showed or hid the speaker's time on stage monitors"),
        "speaker.set": _("gave the floor to a speaker"),
        "speaker.correct": _("corrected a speaking interval"),
        "question.guide": _("linked a question to a guiding question"),
        "screen.pair": _("paired a screen"),
        "screen.rename": _("renamed a screen"),
        "screen.remove": _("removed a screen"),
    }
    return {f"action_{name}": text for name, text in named.items()}
