// The room screen: a countdown that fills the width, the segment and who speaks, what comes
// next, the question on screen, a QR code to join; warning colours, blackout. Left unattended
// for hours: it reconnects by itself whatever happened (connection.js), and after every
// reconnection asks for the timer, the display and the live question again until it has them.
import {
  connect, el, everyConnection, markLanguage, request, requestOrThrow, retryAfterMs, segmentTitle,
  showConnection, t, themesByKey, Versions,
} from "./connection.js";
import { clockText, speakerName } from "./speaking-format.js";
import { ServerTime } from "./server-time.js";
import { Countdown } from "./timer.js";

const app = document.getElementById("app");
const code = app.dataset.event;
const role = app.dataset.role;  // "screen" or "stage"
const params = new URLSearchParams(location.search);
const preview = params.has("preview");
const themes = themesByKey();

// The secret a moderator's pairing gave this screen (kept across reloads and restarts); without
// it the page shows a pairing code and is not counted as a screen.
const tokenKey = `moderator:screen-token:${code}:${role}`;
const auth = { event: code, role };
if (!preview) {
  auth.pair = true;
  const token = localStorage.getItem(tokenKey);
  if (token) auth.screen_token = token;
}
const socket = connect("/", auth);
showConnection(socket, document.getElementById("connection"));
let paired = false;
let lastSync = null;

// A report refused for its rate (or while the server cannot take it) is not sent again: the
// next clock sync reports anew, and none goes before the time the server asked to wait.
let reportsPausedUntil = 0;
function reportClock() {
  const token = localStorage.getItem(tokenKey);
  if (preview || !paired || !token || !lastSync) return;
  if (Date.now() < reportsPausedUntil) return;
  request(socket, "screen_report", {
    offset_ms: lastSync.offset, rtt_ms: lastSync.rtt, screen_token: token,
  }).then((reply) => {
    const wait = retryAfterMs(reply?.error);
    if (wait) reportsPausedUntil = Date.now() + wait;
  }).catch(() => {});
}

const serverTime = new ServerTime(socket, {
  onUpdate: () => countdown.render(),
  onSynced: (c) => { lastSync = c; reportClock(); },
});

function showPairing(state) {
  paired = Boolean(state.paired);
  if (!paired) {
    localStorage.removeItem(tokenKey);
    delete auth.screen_token;
  }
  const box = document.getElementById("pairing");
  if (box) box.hidden = paired;
  const codeNode = document.getElementById("pairing-code");
  if (codeNode) codeNode.textContent = paired ? "" : (state.code || "");
  app.toggleAttribute("data-paired", paired);
}

let pairingTimer = null;
async function refreshPairing() {
  const state = await requestOrThrow(socket, "pairing", {});
  if (state.error) throw new Error(state.error.code);
  showPairing(state);
  clearTimeout(pairingTimer);
  // A code lasts 10 minutes: ask for the next one when it ends.
  if (!state.paired) {
    pairingTimer = setTimeout(() => pairingSync.run(), Math.max(5000, state.expires_ms - serverTime.now()));
  }
}

const countdown = new Countdown(serverTime, document.getElementById("countdown"), app);
const published = new Map();
let lastFlash = null;

function setText(id, text) {
  const node = document.getElementById(id);
  if (node) node.textContent = text || "";
  return node;
}

/** A segment's title, in the page's language where the event file gives it. */
function setSegmentTitle(id, segment, eventLanguage) {
  const [title, lang] = segmentTitle(segment, eventLanguage);
  const node = setText(id, title);
  if (node) markLanguage(node, segment ? lang : null);
}

/** A size step for a text of this length (screen.css shrinks longer texts by it), so that
 *  however long it is, the countdown keeps most of its height. */
function sizeStep(text, steps) {
  const length = [...(text || "")].length;
  return steps.find(([upTo]) => length <= upTo)?.[1] ?? steps.at(-1)[1];
}
const MESSAGE_STEPS = [[50, "s"], [100, "m"], [150, "l"], [Infinity, "xl"]];
const QUESTION_STEPS = [[120, "m"], [200, "l"], [Infinity, "xl"]];

/** `el` for text someone typed: its direction from its own first strong letter. */
function userText(tag, className, text) {
  const node = el(tag, className, text);
  node.dir = "auto";
  return node;
}

/** A theme's name ("i. Financing"), in its title's direction: the label is isolated, so that a
 *  Latin "i." does not turn an Arabic title left to right. */
function themeTag(theme) {
  const node = userText("p", "theme-tag", theme?.title ?? "");
  if (theme?.label) node.prepend(el("bdi", "theme-label", `${theme.label}.`), " ");
  return markLanguage(node, theme?.title_lang);
}

let shownVersion = -1;
function renderTimer(timer) {
  // A reply that left the server before a change it broadcast must not undo that change.
  if (timer.version < shownVersion) return;
  shownVersion = timer.version;
  countdown.update(timer);
  setSegmentTitle("segment-title", timer.segment, timer.language);
  setText("speakers", timer.segment.speakers.join(" · "));
  setSegmentTitle("next", timer.next, timer.language);
  document.getElementById("next-box")?.toggleAttribute("hidden", !timer.next);
  setText("segment-count", `${timer.segment_index + 1} / ${timer.segment_count}`);
}

/** The moderator's message as the stage monitor shows it: its size step by length, at most a
 *  few lines (screen.css). The dashboard's preview of a draft goes through here too. */
function showMessage(text) {
  const message = document.getElementById("message");
  if (!message) return null;
  message.textContent = text || "";
  message.dataset.size = sizeStep(text, MESSAGE_STEPS);
  message.hidden = !text;
  return message;
}

// In the dashboard's stage monitor preview, the draft being typed (null until the dashboard
// sends one): it is shown instead of the message the stage monitor shows now.
let draft = null;

// The current speaker's time on the stage monitor, when the dashboard's switch is on: this
// turn counting up, and their total (earlier turns plus this one), by the server's clock.
let speaking = null;
let speakerTime = false;
function showSpeaker(view) {
  if (!view || (speaking && view.server_now_ms < speaking.server_now_ms)) return;
  speaking = view;
  renderSpeaker();
}
function renderSpeaker() {
  const box = document.getElementById("stage-speaker");
  if (!box) return;
  const current = speaking?.current;
  box.hidden = !(speakerTime && current);
  if (box.hidden) return;
  const turn = Math.max(0, serverTime.now() - current.since_ms);
  const name = document.getElementById("stage-speaker-name");
  const shownName = speakerName(current);
  if (name.textContent !== shownName) name.textContent = shownName;
  const times = `${clockText(turn)} · ${t("speaker_total").replace("{time}", () => clockText(current.earlier_ms + turn))}`;
  const node = document.getElementById("stage-speaker-times");
  if (node.textContent !== times) node.textContent = times;
}
if (role === "stage") setInterval(renderSpeaker, 1000);

function renderDisplay(display) {
  const blackout = document.getElementById("blackout");
  if (blackout) blackout.hidden = !display.blackout;
  if (draft === null) showMessage(display.message);
  speakerTime = Boolean(display.speaker_time);
  renderSpeaker();
  // Flash only for a flash asked for in the last few seconds, not one found on reconnect.
  if (role === "stage" && !preview && display.flash_ms && display.flash_ms !== lastFlash
      && serverTime.now() - display.flash_ms < 3000) {
    app.classList.remove("flash");
    void app.offsetWidth;  // restart the animation
    app.classList.add("flash");
  }
  lastFlash = display.flash_ms;
}

function renderLive() {
  const box = document.getElementById("live");
  if (!box) return;
  const live = [...published.values()].find((q) => q.status === "live");
  app.toggleAttribute("data-has-live", Boolean(live));
  if (!live) return box.replaceChildren();
  const who = [live.name, live.affiliation].filter(Boolean).join(", ");
  const text = userText("blockquote", "live-text clamp", live.text);
  text.dataset.size = sizeStep(live.text, QUESTION_STEPS);
  box.replaceChildren(
    themeTag(themes.get(live.theme)),
    text,
    userText("p", "who clamp", who),
  );
}

/** The timer and display as the server has them now; throws if it could not answer. */
async function refresh() {
  const state = await requestOrThrow(socket, "screen_state", {});
  if (state.error) throw new Error(state.error.code);
  renderTimer(state.timer);
  showSpeaker(state.speaker);
  renderDisplay(state.display);
}

async function refreshLive() {
  if (!document.getElementById("live")) return;
  const reply = await requestOrThrow(socket, "sync", {});
  if (reply.error) throw new Error(reply.error.code);
  // A broadcast that overtook this reply is newer than the reply's copy: it stays.
  const fresh = new Map();
  for (const q of reply.questions || []) {
    if (current(q.id, q.version)) fresh.set(q.id, q);
    else if (published.has(q.id)) fresh.set(q.id, published.get(q.id));
  }
  published.clear();
  for (const [id, q] of fresh) published.set(id, q);
  renderLive();
}

// Messages older than what the page shows are ignored (connection.js).
const versions = new Versions();
function current(id, version) {
  return versions.current(id, version);
}
function keep(question) {
  if (current(question.id, question.version)) published.set(question.id, question);
}

// Each is retried with backoff until it succeeds, after every (re)connection.
const timerSync = everyConnection(socket, refresh);
const pairingSync = preview ? null : everyConnection(socket, refreshPairing);
// The QR code to join from the room. A paired screen's carries the room pass, which rotates:
// asked for at every connection and every half rotation, and replaced in place.
let joinTimer = null;
async function refreshJoin() {
  const box = document.getElementById("qr");
  if (!box) return;
  const link = await requestOrThrow(socket, "join_link", {});
  if (link.error) throw new Error(link.error.code);
  const svg = new DOMParser().parseFromString(link.svg, "text/html").body.firstElementChild;
  if (svg) box.replaceChildren(document.importNode(svg, true));
  // The link the code encodes, readable without a camera (tests, an operator's devtools).
  box.dataset.url = link.url;
  clearTimeout(joinTimer);
  joinTimer = setTimeout(() => joinSync.run(), Math.max(5000, link.refresh_ms));
}
const joinSync = preview || role !== "screen" ? null : everyConnection(socket, refreshJoin);
socket.on("paired", (message) => {
  // Told at once: keep the token for the next connections, hide the code, report the clock.
  localStorage.setItem(tokenKey, message.screen_token);
  auth.screen_token = message.screen_token;
  showPairing({ paired: true, label: message.label });
  reportClock();
  joinSync?.run();
});
socket.on("unpaired", () => { showPairing({ paired: false }); pairingSync?.run(); joinSync?.run(); });
everyConnection(socket, refreshLive);
socket.on("timer", renderTimer);
socket.on("display", renderDisplay);
socket.on("speaker", showSpeaker);
socket.on("question", (q) => { keep(q); renderLive(); });
socket.on("questions", (list) => { for (const q of list) keep(q); renderLive(); });
socket.on("question_removed", ({ id, version }) => {
  if (current(id, version)) published.delete(id);
  renderLive();
});
// A slow keepalive, in case a change was missed while the network hiccupped.
setInterval(() => { if (socket.connected) timerSync.run(); }, 30_000);

// The dashboard's stage monitor preview: the draft comes by postMessage from the dashboard that
// frames this page, on this origin only (anything else is ignored), and is shown as the server
// will store it (whitespace collapsed, like moderator/core/screens.py). The answer says whether
// it fits: a message taller than its clamped box ends with an ellipsis on the stage monitor.
// This page is 1920x1080 inside the dashboard's iframe, so it measures what a full HD stage
// monitor shows. Nothing goes to the server.
if (preview && role === "stage" && window.parent !== window) {
  const answer = (data) => window.parent.postMessage(data, location.origin);
  window.addEventListener("message", (event) => {
    if (event.origin !== location.origin || event.source !== window.parent) return;
    const data = event.data;
    if (data?.type !== "stage-preview-draft" || typeof data.text !== "string") return;
    draft = data.text.trim().split(/\s+/).join(" ");
    const message = showMessage(draft);
    if (!message) return;
    // The draft again, verbatim, with the step and the overflow the stage monitor would have.
    answer({
      type: "stage-preview-shown",
      text: draft,
      size: message.dataset.size,
      clamped: Boolean(draft) && message.scrollHeight > message.clientHeight + 1,
    });
  });
  answer({ type: "stage-preview-ready" });
}

// What the benchmark and tests read: the offset estimate and each displayed flip.
window.serverTime = serverTime;
