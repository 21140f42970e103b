"""One application hosts every event file it is given, each under its own code."""

import pytest

from moderator.core.event_file import EventFileError
from tests.fixtures.constants import EVENT, PANEL_FILE, TOKEN
from tests.fixtures.constants import MINIMAL_EVENT as GOOD


def test_two_events_can_be_hosted_at_once(config_class, tmp_path):
    from moderator.app import create_app

    other = tmp_path / "other.toml"
    other.write_text(GOOD, encoding="utf-8")
    app = create_app(config_class, event_files=[str(PANEL_FILE), str(other)])
    listed = app.test_client().get("/api/events", headers={"Authorization": f"Bearer {TOKEN}"})
    codes = [e["code"] for e in listed.get_json()["events"]]
    assert codes == [EVENT, "demo"]


def test_two_files_with_one_code_are_refused(config_class, tmp_path):
    from moderator.app import create_app

    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(GOOD, encoding="utf-8")
    b.write_text(GOOD, encoding="utf-8")
    with pytest.raises(EventFileError, match="used by more than one event"):
        create_app(config_class, event_files=[str(a), str(b)])
