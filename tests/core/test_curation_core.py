"""Curation in the core: edits, retagging, merges, the up-next list, floor questions, the word
filter, similar questions and two moderators acting at once."""

import pytest

from moderator.core import events, questions, votes
from moderator.core.errors import Conflict, InvalidInput, NotFound
from moderator.core.votes import Ballot
from tests.fixtures import core
from tests.fixtures.constants import EVENT, OTHER_THEME, THEME
from tests.fixtures.core import curate as act


def submit(session, event, clock, n=1, **overrides):
    question, _ = core.submit(session, event, clock, n, **overrides)
    return question


def approved(session, event, clock, n=1, **overrides):
    question = submit(session, event, clock, n, **overrides)
    act(session, event, clock, question, "approve")
    return question


def test_an_edit_keeps_the_original_text(session, event, clock):
    question = submit(session, event, clock, text="How do yuo fund exchanges?")
    clock.advance(1000)
    act(session, event, clock, question, "edit", text="How do you fund exchanges?")
    act(session, event, clock, question, "edit", text="How do you fund personnel exchanges?")
    assert question.text == "How do you fund personnel exchanges?"
    assert question.original_text == "How do yuo fund exchanges?"
    assert question.edited_ms == clock.now_ms
    view = questions.moderator_view(question)
    assert view["original_text"] == "How do yuo fund exchanges?"
    assert "original_text" not in questions.public_view(question)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"text": ""}, "empty_text"),
        ({"text": "  "}, "empty_text"),
        ({"text": "x" * 301}, "text_too_long"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(session, event, clock, body, code):
    question = submit(session, event, clock)
    with pytest.raises(InvalidInput) as caught:
        act(session, event, clock, question, "edit", **body)
    assert caught.value.code == code
    session.expire_all()
    assert (question.text, question.original_text) == ("Question number 1?", None)


def test_retag_moves_a_question_to_another_theme(session, event, clock):
    question = submit(session, event, clock)
    act(session, event, clock, question, "retag", theme=OTHER_THEME)
    assert question.theme == OTHER_THEME
    with pytest.raises(InvalidInput, match="Unknown theme"):
        act(session, event, clock, question, "retag", theme="weather")
    assert question.theme == OTHER_THEME


def test_merge_combines_votes_without_counting_anyone_twice(session, event, clock):
    keep = approved(session, event, clock, 1, text="How are exchanges funded in SSC?")
    dupe = approved(session, event, clock, 2, text="Who funds the exchanges?")
    for voter in ("voter-a001", "voter-b001"):
        votes.vote(session, event.id, Ballot(keep.id, voter, "online"), clock=clock)
    for voter, via in (("voter-b001", "online"), ("voter-c001", "room")):
        votes.vote(session, event.id, Ballot(dupe.id, voter, via), clock=clock)
    changes = act(session, event, clock, dupe, "merge", into=keep.id)
    assert [c.question.id for c in changes] == [keep.id, dupe.id]
    assert keep.votes == 3  # a, b (once) and c
    assert (dupe.status, dupe.merged_into_id, dupe.votes) == ("merged", keep.id, 0)
    assert votes.split_by_origin(session, event) == {keep.id: {"room": 1, "online": 2}}
    assert questions.owner_view(dupe)["merged_into_id"] == keep.id
    assert dupe not in questions.public_questions(session, event)


@pytest.mark.parametrize("case", ["itself", "cycle", "dismissed", "live", "unknown"])
def test_impossible_merges_are_refused(session, event, clock, case):
    a = approved(session, event, clock, 1)
    b = approved(session, event, clock, 2)
    into = {"itself": a.id, "unknown": 999}.get(case, b.id)
    if case == "cycle":
        act(session, event, clock, b, "merge", into=a.id)  # b is now inside a
    if case == "dismissed":
        act(session, event, clock, b, "dismiss")
    if case == "live":
        act(session, event, clock, a, "live")
    before = (a.status, a.merged_into_id)
    expected = {"itself": InvalidInput, "unknown": NotFound}.get(case, Conflict)
    with pytest.raises(expected):
        act(session, event, clock, a, "merge", into=into)
    session.expire_all()
    assert (a.status, a.merged_into_id) == before


def test_a_merged_question_takes_no_votes_and_no_actions(session, event, clock):
    keep = approved(session, event, clock, 1)
    dupe = approved(session, event, clock, 2)
    act(session, event, clock, dupe, "merge", into=keep.id)
    with pytest.raises(Conflict, match=f"merged into question {keep.id}"):
        votes.vote(session, event.id, Ballot(dupe.id, "voter-0001", "online"), clock=clock)
    with pytest.raises(Conflict, match="merged"):
        act(session, event, clock, dupe, "approve")


def test_votes_on_dismissed_or_answered_questions_are_refused(session, event, clock):
    gone = approved(session, event, clock, 1)
    done = approved(session, event, clock, 2)
    act(session, event, clock, gone, "dismiss")
    act(session, event, clock, done, "answered")
    with pytest.raises(Conflict, match="not published"):
        votes.vote(session, event.id, Ballot(gone.id, "voter-0001", "online"), clock=clock)
    with pytest.raises(Conflict, match="answered"):
        votes.vote(session, event.id, Ballot(done.id, "voter-0001", "online"), clock=clock)


def test_the_up_next_list_keeps_its_order(session, event, clock):
    a, b, c = (approved(session, event, clock, n) for n in (1, 2, 3))
    for q in (a, b, c):
        act(session, event, clock, q, "queue")
    assert [a.queue_position, b.queue_position, c.queue_position] == [1, 2, 3]
    questions.reorder_queue(session, event, order=[c.id, a.id, b.id], clock=clock)
    assert [c.queue_position, a.queue_position, b.queue_position] == [1, 2, 3]
    act(session, event, clock, c, "live")  # on screen: it leaves the list
    assert c.queue_position is None
    act(session, event, clock, a, "unqueue")
    assert a.queue_position is None and b.queue_position == 3


@pytest.mark.parametrize("order", ["stale", "unknown", "duplicate"])
def test_reordering_with_a_stale_or_wrong_list_is_refused(session, event, clock, order):
    a, b = approved(session, event, clock, 1), approved(session, event, clock, 2)
    for q in (a, b):
        act(session, event, clock, q, "queue")
    bad = {
        "stale": [b.id],
        "unknown": [b.id, a.id, 999],
        "duplicate": [a.id, a.id, b.id],
    }[order]
    with pytest.raises((Conflict, InvalidInput)):
        questions.reorder_queue(session, event, order=bad, clock=clock)
    session.expire_all()
    assert (a.queue_position, b.queue_position) == (1, 2)


def test_only_approved_questions_go_up_next(session, event, clock):
    pending = submit(session, event, clock)
    with pytest.raises(Conflict, match="Only approved"):
        act(session, event, clock, pending, "queue")


def test_a_floor_question_completes_the_record(session, event, clock):
    data = {
        "text": "From the microphone: what about gender balance?",
        "theme": THEME,
        "client_msg_id": "floor-msg-0001",
        "name": "Delegate of Ghana",
        "answered": True,
    }
    question, created = core.floor(session, event, clock, **data)
    assert created and (question.via, question.status) == ("floor", "answered")
    again, created_again = core.floor(session, event, clock, **data)
    assert again.id == question.id and not created_again
    with pytest.raises(InvalidInput):
        core.floor(session, event, clock, **{**data, "client_msg_id": "floor-msg-0002", "text": ""})


def test_the_word_filter_holds_questions_even_without_premoderation(session, event, clock):
    events.update_settings(
        session, event, clock=clock, premoderation=False, word_filter=["scam", "idiot"]
    )
    held = submit(session, event, clock, 1, text="Is this programme a SCAM?")
    passed = submit(session, event, clock, 2, text="Is this a scampi-free breakfast?")
    assert (held.status, held.flag) == ("pending", "word filter: scam")
    assert (passed.status, passed.flag) == ("approved", None)


def test_the_word_filter_holds_questions_in_any_script(session, event, clock):
    events.update_settings(
        session, event, clock=clock, premoderation=False, word_filter=["骗局", "غبي"]
    )
    chinese = submit(session, event, clock, 1, text="这个交流项目是不是一个骗局？")
    arabic = submit(session, event, clock, 2, text="لماذا نكرر هذا الكلام الغَبِيّ؟")
    evading = submit(session, event, clock, 3, text="这是骗​局吗？")
    assert [(q.status, q.flag) for q in (chinese, arabic, evading)] == [
        ("pending", "word filter: 骗局"),
        ("pending", "word filter: غبي"),
        ("pending", "word filter: 骗局"),
    ]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"current_theme": "weather"}, "unknown_theme"),
        ({"word_filter": ["x" * 61]}, "invalid_word_filter"),
    ],
)
def test_bad_settings_are_refused(session, event, clock, data, code):
    with pytest.raises(InvalidInput) as caught:
        events.update_settings(session, event, clock=clock, **data)
    assert caught.value.code == code
    assert events.settings_view(event) == {
        "premoderation": True,
        "current_theme": None,
        "word_filter": [],
    }


def test_the_current_theme_can_be_set_and_cleared(session, event, clock):
    events.update_settings(session, event, clock=clock, current_theme=OTHER_THEME)
    assert events.event_view(event)["current_theme"] == OTHER_THEME
    events.update_settings(session, event, clock=clock, current_theme=None)
    assert event.current_theme is None


def test_similar_questions_are_flagged_for_the_moderator(session, event, clock):
    first = submit(session, event, clock, 1, text="How do you handle visa delays for placements?")
    second = submit(
        session, event, clock, 2, text="Visa delays for placements: how do you handle them?"
    )
    other = submit(session, event, clock, 3, text="Will the joint study be published online?")
    assert (second.similar_to_id, second.similarity >= 75) == (first.id, True)
    assert other.similar_to_id is None


def test_similar_questions_without_spaces_are_flagged_for_the_moderator(session, event, clock):
    first = submit(session, event, clock, 1, text="你们如何处理交流人员签证延误的问题？")
    second = submit(session, event, clock, 2, text="交流人员的签证延误问题你们如何处理？")
    other = submit(session, event, clock, 3, text="联合研究报告会在网上发布吗？")
    assert (second.similar_to_id, second.similarity >= 75) == (first.id, True)
    assert other.similar_to_id is None


def test_attendees_see_similar_published_questions_before_sending(session, event, clock):
    published = approved(
        session,
        event,
        clock,
        1,
        text="Do alumni networks continue after the programme funding ends?",
    )
    submit(session, event, clock, 2, text="Do alumni networks continue after funding ends?")
    found = questions.similar_public(session, event, "alumni networks after the funding ends")
    assert [q.id for q, _score in found] == [published.id]  # the pending one is not shown
    assert questions.similar_public(session, event, "gender balance on panels") == []


def test_two_moderators_on_one_question_one_is_told(database, clock):
    with database.session() as first, database.session() as second:
        event_1, event_2 = events.get_event(first, EVENT), events.get_event(second, EVENT)
        question = submit(first, event_1, clock)
        # Both dashboards hold the question before either acts.
        mine, theirs = (
            questions.get_question(s, e, question.id)
            for s, e in ((first, event_1), (second, event_2))
        )
        assert mine.version == theirs.version
        act(first, event_1, clock, mine, "approve")
        with pytest.raises(Conflict, match="at the same moment"):
            act(second, event_2, clock, theirs, "edit", text="A rewording")
    with database.session() as check:
        stored = questions.get_question(check, events.get_event(check, EVENT), question.id)
        assert (stored.status, stored.text) == ("approved", "Question number 1?")


def test_merging_while_another_approves_one_is_told(database, clock):
    with database.session() as first, database.session() as second:
        event_1, event_2 = events.get_event(first, EVENT), events.get_event(second, EVENT)
        keep = approved(first, event_1, clock, 1)
        dupe = submit(first, event_1, clock, 2)
        keep_id, dupe_id = keep.id, dupe.id
        mine = questions.get_question(first, event_1, dupe.id)
        theirs = questions.get_question(second, event_2, dupe.id)
        assert mine.version == theirs.version  # both dashboards show the same question
        act(second, event_2, clock, theirs, "approve")
        with pytest.raises(Conflict):
            act(first, event_1, clock, mine, "merge", into=keep.id)
    with database.session() as check:
        e = events.get_event(check, EVENT)
        assert questions.get_question(check, e, dupe_id).status == "approved"
        assert questions.get_question(check, e, keep_id).votes == 0


def test_two_moderators_putting_different_questions_live(database, clock):
    # The database allows one live question per event; the later action wins and its changes
    # include taking the other off screen, so both dashboards converge on the same screen.
    with database.session() as first, database.session() as second:
        event_1, event_2 = events.get_event(first, EVENT), events.get_event(second, EVENT)
        a = approved(first, event_1, clock, 1)
        b = approved(first, event_1, clock, 2)
        act(first, event_1, clock, questions.get_question(first, event_1, a.id), "live")
        changes = act(second, event_2, clock, questions.get_question(second, event_2, b.id), "live")
        assert [(c.question.id, c.question.status) for c in changes] == [
            (a.id, "approved"),
            (b.id, "live"),
        ]
    with database.session() as check:
        e = events.get_event(check, EVENT)
        live = [q.id for q in questions.all_questions(check, e) if q.status == "live"]
        assert live == [b.id]
