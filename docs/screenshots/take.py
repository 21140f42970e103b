"""Screenshots of the pages on the demo event during a busy Q&A, for the docs and for review.

Run from the repository root: ``.venv/bin/python docs/screenshots/take.py``. Starts its own
server on a temporary database, fills it through the public API and drives headless Chromium.
``take.py balance`` takes only the speaking-time panel (``balance-panel.png``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.common import CHROMIUM_ARGS  # noqa: E402

OUT = Path(__file__).resolve().parent
TOKEN = "screenshot-token"

QUESTIONS = [
    (
        "ssc",
        "room",
        "Amina Diallo",
        "Ministry of Labour, Senegal",
        "Which South-South principle is hardest to keep when one partner funds most of "
        "the exchange?",
    ),
    (
        "challenges",
        "online",
        None,
        None,
        "How do you handle visa delays that eat into a six-month placement?",
    ),
    (
        "sustainability",
        "online",
        "Rahul",
        "Think tank, New Delhi",
        "What happens to the knowledge when the exchange participant goes home? "
        "Is there follow-up?",
    ),
    (
        "scaling",
        "room",
        None,
        None,
        "Could regional development banks co-finance exchanges to take them to scale?",
    ),
    (
        "ssc",
        "online",
        "Lucía Fernández",
        "AUCI Uruguay",
        "How does triangular cooperation change the power balance compared with bilateral aid?",
    ),
    (
        "challenges",
        "room",
        "Kwame",
        None,
        "Language barriers: do you train participants before departure or rely on English?",
    ),
    ("general", "online", None, None, "Will the joint UNOSSC-Norec study be published online?"),
    (
        "scaling",
        "online",
        "Mei Lin",
        "UNDP China",
        "How can personnel exchanges plug into existing SSC trust funds?",
    ),
    (
        "sustainability",
        "room",
        None,
        None,
        "Do alumni networks continue after the programme funding ends?",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    instance = Path(tempfile.mkdtemp(prefix="screenshots-"))
    env = {
        **os.environ,
        "INSTANCE_PATH": str(instance),
        "MODERATOR_TOKEN": TOKEN,
        "PORT": str(port),
        # The address phones in a room would use (the screens then show it, and no warning
        # that their QR code points to this computer only).
        "PUBLIC_URL": f"http://192.168.1.20:{port}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "moderator"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(base + "/api/events", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        if sys.argv[1:] == ["balance"]:
            shoot_balance(base)
            return
        fill(base)
        shoot(base)
        shoot_balance(base)
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(instance, ignore_errors=True)


def fill(base: str) -> None:
    api = f"{base}/api/events/ssc25"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    ids = []
    for n, (theme, via, name, affiliation, text) in enumerate(QUESTIONS):
        reply = requests.post(
            f"{api}/questions",
            timeout=5,
            json={
                "text": text,
                "theme": theme,
                "via": via,
                "name": name,
                "affiliation": affiliation,
                "client_id": f"screenshot-client-{n}",
                "client_msg_id": f"screenshot-msg-{n}",
            },
        )
        ids.append(reply.json()["question"]["id"])

    def act(qid, action, **body):
        requests.post(f"{api}/questions/{qid}/{action}", json=body or None, headers=auth, timeout=5)

    for qid in ids[:6]:
        act(qid, "approve")
    act(ids[0], "answered")
    act(ids[2], "live")
    act(ids[4], "star")
    act(ids[6], "dismiss")
    act(
        ids[5],
        "edit",
        text="Language barriers: do you train participants before departure, or rely on English?",
    )
    for qid in (ids[3], ids[1]):
        act(qid, "queue")
    # A near-duplicate from the room, flagged for the moderator to merge.
    requests.post(
        f"{api}/questions",
        timeout=5,
        json={
            "text": "Visa delays eat into six-month placements: how do you handle them?",
            "theme": "challenges",
            "via": "room",
            "client_id": "screenshot-client-dup",
            "client_msg_id": "screenshot-msg-dup",
        },
    )
    requests.post(
        f"{api}/floor",
        headers=auth,
        timeout=5,
        json={
            "text": "How do host organisations prepare for the people they receive?",
            "theme": "ssc",
            "name": "Delegate of Ghana",
            "client_msg_id": "screenshot-floor-1",
            "answered": True,
        },
    )
    requests.patch(api, headers=auth, timeout=5, json={"current_theme": "challenges"})
    for voter in range(9):
        for qid in ids[1:6][: voter % 5 + 1]:
            requests.post(
                f"{api}/questions/{qid}/vote",
                timeout=5,
                json={
                    "client_id": f"screenshot-voter-{voter}",
                    "via": "room" if voter % 3 else "online",
                },
            )


def shoot(base: str) -> None:
    api = f"{base}/api/events/ssc25"
    auth = {"Authorization": f"Bearer {TOKEN}"}

    def clock(**data):
        return requests.post(f"{api}/timer", json=data, headers=auth, timeout=5).json()

    live_id = next(
        q["id"]
        for q in requests.get(f"{api}/questions", headers=auth, timeout=5).json()["questions"]
        if q["status"] == "live"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2
        ).new_page()
        phone.add_init_script(
            "localStorage.setItem('moderator:client_id', JSON.stringify('screenshot-client-3'))"
        )
        phone.goto(f"{base}/r/ssc25")
        phone.wait_for_selector("#public li.question")
        phone.screenshot(path=OUT / "attendee-phone.png", full_page=True)

        # Playwright's wait_for_function evaluates strings, which the pages' CSP forbids.
        full_hd = {"viewport": {"width": 1920, "height": 1080}, "bypass_csp": True}
        screen = browser.new_context(**full_hd).new_page()
        screen.goto(f"{base}/e/ssc25/screen?name=Back%20wall")
        stage = browser.new_context(**full_hd).new_page()
        stage.goto(f"{base}/e/ssc25/stage?name=Podium")
        desk = browser.new_context(
            viewport={"width": 1600, "height": 1000}, bypass_csp=True
        ).new_page()
        desk.goto(f"{base}/moderate/ssc25?token={TOKEN}")
        desk.wait_for_selector("ol[data-status=approved] li.question")
        # Screens count once a moderator pairs them with the code they show.
        for page, name in ((screen, "Back wall"), (stage, "Podium")):
            page.wait_for_function("document.getElementById('pairing-code').textContent.length")
            code = page.locator("#pairing-code").text_content()
            pair = {"code": code, "label": name}
            requests.post(f"{api}/screens/pair", json=pair, headers=auth, timeout=5)
            page.wait_for_selector("#pairing", state="hidden")

        clock(action="goto", index=2)
        clock(action="start")
        clock(action="adjust", seconds=-(50 * 60 - 23 * 60 - 14))  # 23:14 left in the panel
        requests.post(f"{api}/questions/{live_id}/unlive", headers=auth, timeout=5)
        screen.wait_for_function("!document.getElementById('app').hasAttribute('data-has-live')")
        screen.wait_for_function("document.getElementById('countdown').textContent === '23:12'")
        screen.screenshot(path=OUT / "room-screen-normal.png")

        requests.post(f"{api}/questions/{live_id}/live", headers=auth, timeout=5)
        screen.wait_for_selector("#live .live-text")
        screen.screenshot(path=OUT / "room-screen-live-question.png")

        remaining = clock(action="adjust", seconds=0)["remaining_ms"]
        clock(action="adjust", seconds=-(remaining // 1000 - 95))
        screen.wait_for_function("document.getElementById('app').dataset.phase === 'warning'")
        requests.post(
            f"{api}/display",
            json={"action": "message", "text": "Please wrap up"},
            headers=auth,
            timeout=5,
        )
        stage.wait_for_selector("#message:not([hidden])")
        screen.screenshot(path=OUT / "room-screen-warning.png")
        stage.screenshot(path=OUT / "stage-monitor.png")

        desk.keyboard.press("j")
        desk.wait_for_function("document.querySelectorAll('#screens tr th').length === 2")
        desk.screenshot(path=OUT / "moderator-dashboard.png", full_page=True)
        # What a laptop shows without scrolling: the clock bar, the question on screen and the
        # incoming queue.
        desk.set_viewport_size({"width": 1440, "height": 900})
        desk.evaluate("window.scrollTo(0, 0)")
        desk.screenshot(path=OUT / "dashboard-1440x900.png")
        # A 200-character message being typed: the stage monitor preview, not sent yet.
        desk.locator("#message-text").press_sequentially(LONG_MESSAGE)
        desk.frame(url=lambda url: "/stage?preview=1" in url).wait_for_function(
            f"document.getElementById('message').textContent.length === {len(LONG_MESSAGE)}"
        )
        desk.locator(".stage-preview").scroll_into_view_if_needed()
        desk.screenshot(path=OUT / "dashboard-stage-preview.png")
        desk.locator("#message-text").fill("")

        remaining = clock(action="adjust", seconds=0)["remaining_ms"]
        clock(action="adjust", seconds=-(remaining // 1000 - 1))
        requests.post(f"{api}/questions/{live_id}/unlive", headers=auth, timeout=5)
        screen.wait_for_function(
            "document.getElementById('countdown').textContent === '+0:03'", timeout=10_000
        )
        screen.screenshot(path=OUT / "room-screen-overtime.png")
        shoot_long_texts(screen, stage, api, auth)
        shoot_languages(browser, base, api, auth)
        shoot_workspace(browser, base)
        browser.close()
    print(f"screenshots written to {OUT}")


# At the 200-character limit of a message to the speakers.
LONG_MESSAGE = (
    "Two minutes left for this round. Dr. Hülshörster, please close on the visa point; "
    "Ms. Kuliešiūtė-Pirlot answers the online question on alumni networks next, then we "
    "move to the Q&A."
)
# Right to left, with Latin words and digits inside: scrambled without dir="auto".
ARABIC_QUESTION = (
    "كيف يمكن لبرنامج Norec أن يموّل 25 تبادلاً للموظفين في عام 2026 عبر صناديق South-South القائمة؟"
)


def shoot_long_texts(screen, stage, api: str, auth: dict[str, str]) -> None:
    """The stage monitor with the longest message, and the room screen at 720p with an Arabic
    question mixing Latin words and digits."""

    def clock(**data):
        return requests.post(f"{api}/timer", json=data, headers=auth, timeout=5).json()

    remaining = clock(action="adjust", seconds=0)["remaining_ms"]
    clock(action="adjust", seconds=-(remaining // 1000) + 4 * 60 + 30)  # 4:30 left
    requests.post(
        f"{api}/display",
        json={"action": "message", "text": LONG_MESSAGE},
        headers=auth,
        timeout=5,
    )
    stage.wait_for_function(
        f"document.getElementById('message').textContent.length === {len(LONG_MESSAGE)}"
    )
    stage.wait_for_function("document.getElementById('app').dataset.phase === 'normal'")
    stage.screenshot(path=OUT / "stage-monitor-200-characters.png")

    floor = requests.post(
        f"{api}/floor",
        headers=auth,
        timeout=5,
        json={
            "text": ARABIC_QUESTION,
            "theme": "scaling",
            "name": "فاطمة الزهراء، وزارة العمل",
            "client_msg_id": "screenshot-floor-arabic",
        },
    ).json()
    requests.post(f"{api}/questions/{floor['question']['id']}/live", headers=auth, timeout=5)
    screen.set_viewport_size({"width": 1280, "height": 720})
    screen.wait_for_function(
        "document.querySelector('#live .live-text')?.textContent.startsWith('كيف')"
    )
    screen.screenshot(path=OUT / "room-screen-arabic-720p.png")


CHINESE_QUESTION = "南南合作的人员交流结束后，如何让派出机构继续受益？"


def shoot_languages(browser, base: str, api: str, auth: dict[str, str]) -> None:
    """The attendee page in Arabic and in Chinese on a phone (as the QR link opens it with
    ?lang=), and a room screen projecting French while the moderator works in English."""
    requests.post(
        f"{api}/questions",
        timeout=5,
        json={
            "text": CHINESE_QUESTION,
            "theme": "sustainability",
            "via": "room",
            "name": "李娜",
            "client_id": "screenshot-client-zh",
            "client_msg_id": "screenshot-msg-zh",
        },
    )
    for lang, name in (("ar", "attendee-arabic-phone.png"), ("zh", "attendee-chinese-phone.png")):
        phone = browser.new_context(
            viewport={"width": 360, "height": 780}, is_mobile=True, device_scale_factor=2
        ).new_page()
        phone.goto(f"{base}/r/ssc25?lang={lang}")
        phone.wait_for_selector("#public li.question")
        phone.wait_for_selector("#connection[data-state=online]")
        phone.screenshot(path=OUT / name, full_page=True)
        phone.context.close()

    french = browser.new_context(
        viewport={"width": 1920, "height": 1080}, bypass_csp=True
    ).new_page()
    french.goto(f"{base}/e/ssc25/screen?lang=fr&name=Salle")
    french.wait_for_function("document.getElementById('pairing-code').textContent.length")
    code = french.locator("#pairing-code").text_content()
    requests.post(
        f"{api}/screens/pair", json={"code": code, "label": "Salle"}, headers=auth, timeout=5
    )
    french.wait_for_selector("#pairing", state="hidden")
    french.wait_for_selector("#live .live-text")
    french.screenshot(path=OUT / "room-screen-french.png")
    french.context.close()


def shoot_workspace(browser, base: str) -> None:
    """The event editor on the demo event (its agenda, with the controls that reorder it), and
    the access panel just after a link was given to a timekeeper."""
    page = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True).new_page()
    page.goto(f"{base}/moderate/ssc25?token={TOKEN}")  # logs this browser in
    page.goto(f"{base}/admin/events/ssc25/edit")
    page.wait_for_function("document.getElementById('title').value !== ''")
    page.locator("#audit li").first.wait_for()
    page.screenshot(path=OUT / "event-editor.png")

    page.check("#role-timekeeper")
    page.fill("#invite-label", "Back of room")
    page.get_by_role("button", name="Create a link").click()
    page.wait_for_selector("#new-link:not([hidden])")
    page.locator("#invitations li").first.wait_for()
    page.evaluate("document.activeElement.blur()")
    page.locator("#access").screenshot(path=OUT / "invitations-panel.png")
    page.context.close()


# Who spoke, in order, and for how many seconds, before the second panelist took the floor again:
# the five panelists different amounts, the moderator and the audience between them.
FLOOR = [
    ("moderator", 95),
    ("mr-daniel-roduner", 410),
    ("dr-christian-hulshorster", 265),
    ("moderator", 40),
    ("mr-arnold-tsunga", 130),
    ("audience-room", 75),
    ("ms-gryte-kuliesiute-pirlot", 520),
    ("mr-takahiro-mizukami", 185),
    ("audience-online", 50),
    ("mr-daniel-roduner", 140),
    ("moderator", 35),
]
# Groups the organiser declares for the balance (event file: panelists[].group).
GROUPS = {
    "Mr. Daniel Roduner": "Europe",
    "Dr. Christian Hülshörster": "Europe",
    "Mr. Arnold Tsunga": "Africa",
    "Ms. Grytė Kuliešiūtė-Pirlot": "Europe",
    "Mr. Takahiro Mizukami": "Asia",
}


def shoot_balance(base: str) -> None:
    """The dashboard's speaking-time panel during the panel segment: five panelists who have
    spoken different amounts, their gaps to an equal share, the share per declared group."""
    api = f"{base}/api/events/ssc25"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    # Groups for the panelists, through the event file as an organiser would add them.
    file = requests.get(f"{api}/event.toml", headers=auth, timeout=5)
    text = file.text
    for name, group in GROUPS.items():
        line = f'name = "{name}"\n'
        text = text.replace(line, f'{line}group = "{group}"\n', 1)
    version = file.headers["ETag"].strip('"')
    requests.put(
        f"{api}?version={version}",
        data=text.encode(),
        headers={**auth, "Content-Type": "application/toml"},
        timeout=5,
    ).raise_for_status()
    requests.post(f"{api}/timer", json={"action": "goto", "index": 2}, headers=auth, timeout=5)
    requests.post(f"{api}/timer", json={"action": "start"}, headers=auth, timeout=5)
    # Each switch now, then each interval moved back in time to the length above (a boundary
    # moved moves its neighbour's too): the record as if the panel had run for half an hour.
    for speaker, _ in FLOOR:
        reply = requests.post(f"{api}/speaker", json={"speaker": speaker}, headers=auth, timeout=5)
        reply.raise_for_status()
    reply = requests.post(
        f"{api}/speaker", json={"speaker": "dr-christian-hulshorster"}, headers=auth, timeout=5
    )
    intervals = reply.json()["intervals"][-len(FLOOR) - 1 :]
    now = reply.json()["server_now_ms"]
    start = now - 1000 * (sum(seconds for _, seconds in FLOOR) + 48)
    for interval, (_, seconds) in zip(intervals, FLOOR, strict=False):
        end = start + 1000 * seconds
        requests.patch(
            f"{api}/speaker/intervals/{interval['id']}",
            json={"started_ms": start, "ended_ms": end},
            headers=auth,
            timeout=5,
        ).raise_for_status()
        start = end
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        desk = browser.new_context(
            viewport={"width": 1280, "height": 900}, bypass_csp=True
        ).new_page()
        desk.goto(f"{base}/moderate/ssc25?token={TOKEN}")
        desk.wait_for_selector("#balance-groups li")
        desk.locator("#speaking-record summary").click()
        desk.wait_for_selector("#speaking-intervals li.interval")
        desk.evaluate("document.activeElement.blur()")
        # The clock bar stays at the top while the page scrolls: here, it would cover the panel.
        desk.evaluate("document.getElementById('clock-panel').style.position = 'static'")
        desk.locator("#speaking-panel").screenshot(path=OUT / "balance-panel.png")
        browser.close()


if __name__ == "__main__":
    main()
