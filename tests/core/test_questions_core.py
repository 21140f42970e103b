"""The questions core on its own: no Flask, no Socket.IO, a fake clock."""

import pytest

from moderator.core import events, questions, votes
from moderator.core.errors import Conflict, InvalidInput, NotFound, TooMany
from moderator.core.questions import Limits
from moderator.core.votes import Ballot
from tests.fixtures.constants import THEME
from tests.fixtures.core import curate, submit


def test_a_new_question_awaits_review_by_default(session, event, clock):
    question, created = submit(session, event, clock)
    assert created
    assert (question.status, question.theme, question.via) == ("pending", THEME, "online")
    assert question.created_ms == clock.now_ms
    assert questions.public_questions(session, event) == []


def test_without_premoderation_a_question_is_published_at_once(session, event, clock):
    events.update_settings(session, event, clock=clock, premoderation=False)
    question, _ = submit(session, event, clock)
    assert question.status == "approved"
    assert questions.public_questions(session, event) == [question]


def test_a_resent_question_is_not_duplicated(session, event, clock):
    first, created = submit(session, event, clock)
    clock.advance(5_000)
    again, created_again = submit(session, event, clock)
    assert created and not created_again
    assert again.id == first.id
    assert len(questions.all_questions(session, event)) == 1


def test_another_client_cannot_reuse_a_message_id(session, event, clock):
    submit(session, event, clock)
    with pytest.raises(Conflict, match="already used"):
        submit(session, event, clock, client_id="someone-else")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"text": ""}, "empty_text"),
        ({"text": "   \n\t "}, "empty_text"),
        ({"text": "x" * 301}, "text_too_long"),
        ({"theme": "astrology"}, "unknown_theme"),
        ({"via": "floor"}, "invalid_via"),
        ({"via": "satellite"}, "invalid_via"),
        ({"client_msg_id": "short"}, "invalid_client_msg_id"),
        ({"client_id": "has spaces in it"}, "invalid_client_id"),
        ({"name": "n" * 81}, "name_too_long"),
    ],
)
def test_bad_submissions_are_refused_and_nothing_is_stored(session, event, clock, overrides, code):
    with pytest.raises(InvalidInput) as caught:
        submit(session, event, clock, **overrides)
    assert caught.value.code == code
    assert caught.value.message
    assert questions.all_questions(session, event) == []


def test_text_is_kept_as_written_apart_from_control_characters(session, event, clock):
    question, _ = submit(
        session,
        event,
        clock,
        text="  <script>alert(1)</script>\x00 & more\r\n ",
        name="  ",
        affiliation=" UNDP ",
    )
    assert question.text == "<script>alert(1)</script> & more"
    assert question.name is None
    assert question.affiliation == "UNDP"


def test_a_question_of_exactly_the_limit_is_accepted(session, event, clock):
    question, _ = submit(session, event, clock, text="é" * 300)
    assert len(question.text) == 300


def act(session, event, clock, question, action):
    return curate(session, event, clock, question, action)


def test_approve_then_answer(session, event, clock):
    question, _ = submit(session, event, clock)
    clock.advance(1000)
    act(session, event, clock, question, "approve")
    assert (question.status, question.approved_ms) == ("approved", clock.now_ms)
    clock.advance(1000)
    act(session, event, clock, question, "answered")
    assert (question.status, question.answered_ms) == ("answered", clock.now_ms)


def test_dismiss_and_restore_returns_to_the_previous_status(session, event, clock):
    pending, _ = submit(session, event, clock, 1)
    approved, _ = submit(session, event, clock, 2)
    act(session, event, clock, approved, "approve")
    for question in (pending, approved):
        act(session, event, clock, question, "dismiss")
        assert question.status == "dismissed"
    act(session, event, clock, pending, "restore")
    act(session, event, clock, approved, "restore")
    assert (pending.status, approved.status) == ("pending", "approved")


def test_only_one_question_is_live_at_a_time(session, event, clock):
    first, _ = submit(session, event, clock, 1)
    second, _ = submit(session, event, clock, 2)
    act(session, event, clock, first, "approve")
    act(session, event, clock, first, "live")
    changes = act(session, event, clock, second, "live")
    assert [(c.question.id, c.question.status, c.was_public) for c in changes] == [
        (first.id, "approved", True),
        (second.id, "live", False),
    ]
    live = [q for q in questions.all_questions(session, event) if q.status == "live"]
    assert live == [second]


def test_taking_a_question_off_screen_returns_it_to_the_queue(session, event, clock):
    question, _ = submit(session, event, clock)
    act(session, event, clock, question, "live")
    act(session, event, clock, question, "unlive")
    assert question.status == "approved"


def test_dismissing_the_live_question_restores_to_approved(session, event, clock):
    question, _ = submit(session, event, clock)
    act(session, event, clock, question, "live")
    act(session, event, clock, question, "dismiss")
    act(session, event, clock, question, "restore")
    assert question.status == "approved"


def test_star_does_not_change_the_status(session, event, clock):
    question, _ = submit(session, event, clock)
    act(session, event, clock, question, "star")
    assert question.starred and question.status == "pending"
    act(session, event, clock, question, "unstar")
    assert not question.starred


@pytest.mark.parametrize(
    ("setup", "action", "message"),
    [
        ([], "answered", "awaiting review"),
        ([], "restore", "awaiting review"),
        (["approve"], "approve", "already approved"),
        (["dismiss"], "live", "restore it first"),
        (["dismiss"], "answered", "restore it first"),
        (["live"], "live", "on screen"),
        (["approve", "answered"], "answered", "already answered"),
        (["approve", "answered"], "dismiss", "already answered"),
    ],
)
def test_impossible_actions_are_refused_and_change_nothing(
    session, event, clock, setup, action, message
):
    question, _ = submit(session, event, clock)
    for step in setup:
        act(session, event, clock, question, step)
    before = (question.status, question.updated_ms)
    clock.advance(1000)
    with pytest.raises(Conflict, match=message):
        act(session, event, clock, question, action)
    session.expire_all()
    assert (question.status, question.updated_ms) == before


def test_unknown_action_and_unknown_question_are_refused(session, event, clock):
    question, _ = submit(session, event, clock)
    with pytest.raises(InvalidInput, match="Unknown action"):
        act(session, event, clock, question, "delete")
    with pytest.raises(NotFound):
        questions.change_status(session, event, 9999, action="approve", clock=clock)
    with pytest.raises(NotFound):
        questions.change_status(session, event, 2**64, action="approve", clock=clock)


def test_each_attendee_votes_once_and_can_take_it_back(session, event, clock):
    question, _ = submit(session, event, clock)
    with pytest.raises(Conflict, match="not published"):
        votes.vote(session, event.id, Ballot(question.id, "voter-0001", "online"), clock=clock)
    act(session, event, clock, question, "approve")
    votes.vote(session, event.id, Ballot(question.id, "voter-0001", "online"), clock=clock)
    votes.vote(session, event.id, Ballot(question.id, "voter-0002", "room"), clock=clock)
    with pytest.raises(Conflict, match="already voted"):
        votes.vote(session, event.id, Ballot(question.id, "voter-0001", "online"), clock=clock)
    assert question.votes == 2
    assert votes.split_by_origin(session, event) == {question.id: {"room": 1, "online": 1}}
    votes.unvote(session, event, question.id, client_id="voter-0001")
    assert question.votes == 1
    with pytest.raises(Conflict, match="not voted"):
        votes.unvote(session, event, question.id, client_id="voter-0001")
    assert votes.voted_by(session, event, "voter-0002") == [question.id]
    with pytest.raises(InvalidInput):
        votes.vote(session, event.id, Ballot(question.id, "voter-0003", "satellite"), clock=clock)


def test_attendee_sees_their_own_questions_whatever_the_status(session, event, clock):
    mine, _ = submit(session, event, clock, 1, client_id="attendee-0001")
    submit(session, event, clock, 2, client_id="attendee-0002")
    act(session, event, clock, mine, "dismiss")
    assert questions.questions_of(session, event, "attendee-0001") == [mine]


def test_views_never_reveal_the_authors_client_id(session, event, clock):
    question, _ = submit(session, event, clock)
    for view in (questions.public_view, questions.owner_view, questions.moderator_view):
        assert "client_id" not in view(question)
        assert question.client_id not in view(question).values()


def test_an_attendee_sending_too_fast_is_asked_to_wait(session, event, clock):
    limits = Limits(text=300, name=80, affiliation=120, per_minute=3)
    for n in range(3):
        submit(session, event, clock, n, limits=limits, client_id="eager-client")
    with pytest.raises(TooMany, match="3 questions in the last minute") as caught:
        submit(session, event, clock, 9, limits=limits, client_id="eager-client")
    assert caught.value.status == 429
    # A resend of an acknowledged question is not a new question: still answered.
    again, created = submit(session, event, clock, 0, limits=limits, client_id="eager-client")
    assert not created
    clock.advance(60_001)
    submit(session, event, clock, 9, limits=limits, client_id="eager-client")
    assert len(questions.questions_of(session, event, "eager-client")) == 4


def test_a_new_question_is_complete_without_reading_it_back(session, event, clock):
    from sqlalchemy import inspect as inspect_state

    question, _ = submit(session, event, clock)
    # Every column is known: showing it to the moderator costs no query.
    assert inspect_state(question).unloaded == set()
    assert questions.moderator_view(question)["queue_position"] is None
