"""A real server refuses to start on a malformed event file, saying where the mistake is."""

import os
import subprocess
import sys

from tests.fixtures.constants import MINIMAL_EVENT as GOOD
from tests.fixtures.constants import ROOT


def test_server_refuses_to_start_on_a_malformed_event_file(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text(GOOD.replace("minutes = 5", "minutes = 0"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "moderator", "--event", str(bad), "--port", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "INSTANCE_PATH": str(tmp_path / "instance")},
    )
    assert result.returncode == 2
    assert f"{bad}: segments[0].minutes: must be more than zero" in result.stderr
