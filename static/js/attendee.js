// The attendee page: send a themed question, follow its status, upvote published ones.
// A question is kept in localStorage until the server stores it, and resent with the same
// client_msg_id (after a transient error or none, with backoff; at once after a reconnect or a
// reload), so it is never lost and never duplicated. Only a refusal of the question itself
// (empty, too long, unknown theme...) drops it, and its text goes back into the form. A vote is
// kept pending the same way until the server has it. Past a rate limit the server says when to
// come back (`retry_after`): both wait that long, saying so, and go again.
// Lists are keyed: each question's card is made once and patched in place, so a vote, a new
// question or a status change anywhere leaves the reader's focus, scroll and typing alone. Every
// message about a question carries its version; one older than what the page shows is ignored.
import {
  Backoff, connect, el, everyConnection, isTransient, localizedTheme, markLanguage, randomId, request,
  requestOrThrow, retryAfterMs, showConnection, t, themeName, themesByKey, tn, Versions,
} from "./connection.js";
import { duration, showLocalTimes } from "./locale.js";

const app = document.getElementById("app");
const code = app.dataset.event;
const via = app.dataset.via;
const maxLength = Number(app.dataset.max);
const themes = themesByKey();
showLocalTimes();  // the viewer's own time beside the event's, in the header

const storage = {
  get(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch { return fallback; }
  },
  set(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* private mode: memory only */ }
  },
};

const CLIENT_KEY = "moderator:client_id";
const OUTBOX_KEY = `moderator:${code}:outbox`;
const VOTES_KEY = `moderator:${code}:votes`;
const PROFILE_KEY = "moderator:profile";
let clientId = storage.get(CLIENT_KEY, null);
if (!clientId) {
  clientId = randomId();
  storage.set(CLIENT_KEY, clientId);
}

const state = {
  outbox: storage.get(OUTBOX_KEY, []),   // submissions not yet acknowledged
  mine: new Map(),                        // client_msg_id -> question
  published: new Map(),                   // id -> question
  voted: new Set(),
  // question id -> wanted (true: voted, false: not): clicks the server has not stored yet.
  pendingVotes: new Map(storage.get(VOTES_KEY, [])),
  sending: false,       // a submission is on its way
  waiting: false,       // the last attempt failed for now; the outbox goes again later
};

const form = document.getElementById("ask");
const textArea = document.getElementById("text");
const count = document.getElementById("count");
const counter = document.getElementById("counter");
const formStatus = document.getElementById("form-status");
const nameInput = document.getElementById("name");
const affiliationInput = document.getElementById("affiliation");
const mineList = document.getElementById("mine");
const announcer = document.getElementById("announce");
const publicList = document.getElementById("public");
const similarBox = document.getElementById("similar");
const sortSelect = document.getElementById("sort");
const themeFilter = document.getElementById("theme-filter");
let themeTouched = false;

const profile = storage.get(PROFILE_KEY, {});
nameInput.value = profile.name || "";
affiliationInput.value = profile.affiliation || "";

const socket = connect("/", { event: code, client_id: clientId, via });
showConnection(socket, document.getElementById("connection"));

function saveOutbox() {
  storage.set(OUTBOX_KEY, state.outbox);
}

function saveVotes() {
  storage.set(VOTES_KEY, [...state.pendingVotes]);
}

// The counter is read with the text box (aria-describedby), not at every keystroke; crossing
// the limit is said once.
function updateCounter() {
  const length = textArea.value.trim().length;
  count.textContent = String(length);
  const over = length > maxLength;
  if (over !== counter.classList.contains("over")) {
    announce(over ? tn("over_limit", maxLength) : "");
  }
  counter.classList.toggle("over", over);
}

/** Say `message` once, politely, to a screen reader. */
function announce(message) {
  announcer.textContent = message;
}

function setStatus(message, kind = "") {
  formStatus.textContent = message;
  formStatus.dataset.kind = kind;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = textArea.value.trim();
  const theme = form.querySelector("input[name=theme]:checked")?.value;
  if (!theme) return setStatus(t("error_theme"), "error");
  if (!text) return setStatus(t("error_empty"), "error");
  if (text.length > maxLength) return setStatus(t("error_long"), "error");
  const entry = {
    client_msg_id: randomId(), text, theme, via,
    name: nameInput.value.trim() || null,
    affiliation: affiliationInput.value.trim() || null,
  };
  storage.set(PROFILE_KEY, { name: nameInput.value.trim(), affiliation: affiliationInput.value.trim() });
  state.outbox.push(entry);
  saveOutbox();
  textArea.value = "";
  updateCounter();
  setStatus(socket.connected ? t("sending") : t("queued"));
  renderMine();
  flush();
});

/** Retries of what failed for now: 1 s doubling to 30 s, with jitter; a reconnect goes at once,
 *  unless the server said when to come back (a rate limit): then not before. */
class Retry {
  constructor(action) {
    this.action = action;
    this.backoff = new Backoff(1000, 30_000);
    this.timer = null;
    this.notBefore = 0;
  }

  later() {
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = null; this.action(); }, this.backoff.next());
  }

  /** Go again in `ms`, as the server asked, and not sooner. */
  after(ms) {
    clearTimeout(this.timer);
    this.notBefore = Date.now() + ms;
    this.timer = setTimeout(() => { this.timer = null; this.action(); }, ms);
  }

  now() {
    const wait = this.notBefore - Date.now();
    if (wait > 0) {
      this.after(wait);
      return;
    }
    clearTimeout(this.timer);
    this.timer = null;
    this.backoff.reset();
    this.action();
  }

  done() {
    this.backoff.reset();
  }

  get scheduled() {
    return this.timer !== null;
  }

  /** Whether the server asked to wait and the time is not up (the timer then goes). */
  get holding() {
    return this.notBefore > Date.now();
  }
}
const submitRetry = new Retry(() => flush());
const voteRetry = new Retry(() => sendVotes());

// "Sending again in N s": what waits for a rate limit, counted down until it goes.
const wait = { until: 0, timer: null };
function showWait(ms) {
  wait.until = Math.max(wait.until, Date.now() + ms);
  clearInterval(wait.timer);
  const tick = () => {
    const left = Math.ceil((wait.until - Date.now()) / 1000);
    if (left <= 0) {
      clearInterval(wait.timer);
      wait.timer = null;
      if (formStatus.dataset.kind === "wait") setStatus(t("sending"));
      return;
    }
    const again = duration(left, "second", { display: "short" });
    setStatus(t("sending_again").replace("{duration}", () => again), "wait");
  };
  tick();
  wait.timer = setInterval(tick, 1000);
}

textArea.addEventListener("input", () => {
  updateCounter();
  clearTimeout(lookForSimilar.timer);
  lookForSimilar.timer = setTimeout(lookForSimilar, 600);
});
form.addEventListener("change", (event) => { if (event.target.name === "theme") themeTouched = true; });
sortSelect.addEventListener("change", renderPublic);
themeFilter.addEventListener("change", renderPublic);

// Before sending, show questions already published that look the same, to upvote instead.
async function lookForSimilar() {
  const text = textArea.value.trim();
  if (text.length < 15 || !socket.connected) { similarBox.hidden = true; return; }
  try {
    const reply = await request(socket, "similar", { text });
    const found = (reply.similar || []).filter((q) => state.published.has(q.id));
    if (!found.length) { similarBox.hidden = true; return; }
    similarCards.clear();
    const cards = found.map((q) => {
      const card = makeCard(q.id);
      similarCards.set(q.id, card);
      patchCard(card, state.published.get(q.id), { votable: true });
      return card;
    });
    const list = el("ul", "qlist");
    list.append(...cards);
    similarBox.replaceChildren(el("p", "similar-title", t("similar_title")), list);
    similarBox.hidden = false;
  } catch { similarBox.hidden = true; }
}

function preselectTheme(key) {
  // The theme the panel is on now, unless the attendee already chose one.
  if (!key || themeTouched) return;
  const input = document.getElementById(`theme-${key}`);
  if (input) input.checked = true;
}

/** Put a refused question's text back into the form, after whatever is being typed there. */
function giveBack(text) {
  const current = textArea.value.trim();
  if (current.includes(text)) return;
  textArea.value = current ? `${current}\n\n${text}` : text;
  updateCounter();
}

/** Send the outbox, oldest first, one at a time, until it is empty or the server cannot take it
 *  now (then it goes again with backoff, or at once on reconnect). */
async function flush() {
  if (state.sending || !socket.connected) return;
  if (submitRetry.holding) {  // a new question waits behind the held ones
    state.waiting = true;
    renderMine();
    return;
  }
  state.sending = true;
  let failed = false;
  let waitMs = 0;
  try {
    while (state.outbox.length && socket.connected) {
      const entry = state.outbox[0];
      let reply;
      try {
        reply = await request(socket, "submit", entry);
      } catch {
        failed = true;  // no acknowledgement in time: kept, sent again with the same id
        break;
      }
      if (reply?.error && isTransient(reply.error)) {
        // Kept: a limit reached or a server that cannot take it now.
        failed = true;
        waitMs = retryAfterMs(reply.error);
        if (waitMs) showWait(waitMs);
        else setStatus(`${reply.error.message} ${t("retrying")}`, "error");
        break;
      }
      state.outbox = state.outbox.filter((e) => e.client_msg_id !== entry.client_msg_id);
      saveOutbox();
      if (reply?.error) {
        // A refusal of the question itself: say why, and keep the text for the attendee.
        setStatus(reply.error.message, "error");
        giveBack(entry.text);
      } else {
        ownQuestion(reply.question);
        setStatus(reply.question.status === "pending" ? t("sent_review") : t("sent"), "ok");
      }
      renderMine();
    }
  } finally {
    state.sending = false;
  }
  state.waiting = failed || (state.outbox.length > 0 && !socket.connected);
  if (failed && waitMs) submitRetry.after(waitMs);
  else if (failed) submitRetry.later();
  else submitRetry.done();
  renderMine();
}

// Cards, keyed: the public list by question id, "My questions" by client_msg_id (the same card
// from "sending" to answered), the "already asked?" suggestions by question id.
const publicCards = new Map();
const mineCards = new Map();
const similarCards = new Map();

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** A question's card, with empty parts that `patchCard` fills and keeps up to date. */
function makeCard(key) {
  const item = el("li", "question");
  item.dataset.key = String(key);
  const meta = el("p", "meta");
  const theme = el("span", "theme-tag");
  const badge = el("span", "badge");
  badge.hidden = true;
  meta.append(theme, badge);
  const text = el("p", "text");
  text.dir = "auto";
  const footer = el("p", "who");
  const who = el("span", "author");
  who.dir = "auto";
  footer.append(who);
  const note = el("p", "merged-note");
  note.hidden = true;
  item.append(meta, text, footer, note);
  item.parts = { theme, badge, text, footer, who, note, vote: null };
  return item;
}

/** Bring a card up to date with `question`, touching only what changed. */
function patchCard(item, question, { badge = null, outbox = null, votable = false, note = "" } = {}) {
  const parts = item.parts;
  setText(parts.theme, themeName(themes.get(question.theme)));
  markLanguage(parts.theme, themes.get(question.theme)?.title_lang);
  parts.badge.hidden = !badge;
  if (badge) {
    const kind = outbox ? "sending" : badge;
    const className = `badge status-${kind}`;
    if (parts.badge.className !== className) parts.badge.className = className;
    setText(parts.badge, outbox ? (outbox === "waiting" ? t("waiting") : t("sending")) : t(`status_${badge}`));
    if (outbox) parts.badge.dataset.outbox = outbox;
    else delete parts.badge.dataset.outbox;
  }
  setText(parts.text, question.text);
  const who = [question.name, question.affiliation].filter(Boolean).join(", ");
  setText(parts.who, who || t("anonymous"));
  const canVote = votable && question.status !== "answered";
  if (canVote && !parts.vote) {
    parts.vote = makeVoteButton(question.id);
    parts.footer.append(parts.vote);
  } else if (!canVote && parts.vote) {
    parts.vote.remove();
    parts.vote = null;
  }
  if (parts.vote) patchVoteButton(parts.vote, question);
  parts.note.hidden = !note;
  setText(parts.note, note);
}

/** Put `cards` into `list` in this order, moving only those out of place and removing the
 *  others; the focused element stays focused, or focus goes to the card that took the place
 *  of the one it was in (never to <body>). */
function reconcile(list, cardMap, wanted, emptyText) {
  const anchor = anchorOf(list);
  // Where it should stay: where it is, or where it was meant to be if the page could not
  // scroll that far last time (at its end) and the reader has not scrolled since.
  const held = pinned?.card === anchor && pinned.scrollY === window.scrollY;
  const anchorTop = held ? pinned.top : anchor?.getBoundingClientRect().top;
  const active = document.activeElement;
  const hadFocus = list.contains(active) && active !== list;
  const focusedCard = hadFocus ? active.closest("li") : null;
  const place = focusedCard ? [...list.children].indexOf(focusedCard) : -1;
  const keep = new Set(wanted);
  for (const [key, card] of cardMap) {
    if (!keep.has(card)) {
      card.remove();
      cardMap.delete(key);
    }
  }
  let empty = list.querySelector(":scope > .empty");
  if (wanted.length) empty?.remove();
  else if (!empty) {
    empty = el("li", "empty", emptyText);
    list.append(empty);
  } else setText(empty, emptyText);
  let cursor = list.firstElementChild;
  for (const card of wanted) {
    if (card === cursor) {
      cursor = cursor.nextElementSibling;
      continue;
    }
    list.insertBefore(card, cursor);
  }
  // The card being read (or worked in) stays where it was on the screen; the others move.
  if (anchor?.isConnected) {
    const shift = anchor.getBoundingClientRect().top - anchorTop;
    if (shift) window.scrollBy(0, shift);
    pinned = { card: anchor, top: anchorTop, scrollY: window.scrollY };
  }
  if (!hadFocus || document.activeElement === active) return;
  if (active.isConnected) {
    active.focus({ preventScroll: true });
    return;
  }
  // The card left the list (answered, withdrawn, filtered out): the one now in its place.
  const next = wanted[Math.min(place, wanted.length - 1)];
  const target = next?.parts.vote || next;
  if (target) {
    if (target === next) next.tabIndex = -1;
    target.focus({ preventScroll: true });
  } else {
    list.tabIndex = -1;
    list.focus({ preventScroll: true });
  }
}

let pinned = null;

/** The card of `list` the reader is on: the focused one, else the first one on screen. */
function anchorOf(list) {
  const focused = document.activeElement?.closest?.("li.question");
  if (focused && focused.parentElement === list) return focused;
  for (const card of list.children) {
    const { top, bottom } = card.getBoundingClientRect();
    if (bottom > 0) return top < innerHeight ? card : null;
  }
  return null;
}

function renderMine() {
  const outbox = state.waiting || !socket.connected ? "waiting" : "sending";
  const wanted = [];
  const card = (key) => {
    let item = mineCards.get(key);
    if (!item) {
      item = makeCard(key);
      mineCards.set(key, item);
    }
    wanted.push(item);
    return item;
  };
  for (const entry of state.outbox) {
    if (state.mine.has(entry.client_msg_id)) continue;  // stored: shown as the server has it
    patchCard(card(entry.client_msg_id), entry, { badge: "sending", outbox });
  }
  const sorted = [...state.mine.values()].sort((a, b) => b.id - a.id);
  for (const question of sorted) {
    let note = "";
    if (question.status === "merged") {
      const target = state.published.get(question.merged_into_id);
      // A function, not the text itself: "$&" or "$`" in someone's question are not patterns.
      if (target) note = t("merged_into").replace("{text}", () => target.text);
    }
    patchCard(card(question.client_msg_id), question, { badge: question.status, note });
  }
  reconcile(mineList, mineCards, wanted, t("no_mine"));
}

/** Whether this attendee's vote is on the question, counting a click not yet stored. */
function votedFor(id) {
  return state.pendingVotes.has(id) ? state.pendingVotes.get(id) : state.voted.has(id);
}

// The vote button's name starts with what it shows (the count: WCAG 2.5.3), then says what it
// counts; aria-pressed says whether this attendee's vote is on it.
function makeVoteButton(id) {
  const button = el("button", "vote");
  button.type = "button";
  const arrow = el("span", "arrow", "▲");
  arrow.setAttribute("aria-hidden", "true");
  const number = el("span", "number");
  const label = el("span", "visually-hidden");
  button.append(arrow, " ", number, label);
  button.parts = { number, label };
  button.addEventListener("click", () => toggleVote(id));
  return button;
}

function patchVoteButton(button, question) {
  const voted = votedFor(question.id);
  const pending = state.pendingVotes.has(question.id);
  setText(button.parts.number, `${question.votes}${pending ? " …" : ""}`);
  setText(button.parts.label, ` ${tn("votes", question.votes)}, ${t("vote")}${pending ? ` · ${t("vote_pending")}` : ""}`);
  button.classList.toggle("pending", pending);
  button.setAttribute("aria-pressed", String(voted));
  if (pending) button.setAttribute("aria-busy", "true");
  else button.removeAttribute("aria-busy");
}

function renderPublic() {
  const rank = { live: 0, approved: 1, answered: 2 };
  const byVotes = sortSelect.value === "votes";
  const theme = themeFilter.value;
  const sorted = [...state.published.values()]
    .filter((q) => !theme || q.theme === theme)
    .sort((a, b) => rank[a.status] - rank[b.status]
      || (byVotes ? b.votes - a.votes || a.id - b.id : b.id - a.id));
  const wanted = sorted.map((question) => {
    let item = publicCards.get(question.id);
    if (!item) {
      item = makeCard(question.id);
      publicCards.set(question.id, item);
    }
    patchCard(item, question, {
      badge: question.status === "approved" ? null : question.status, votable: true,
    });
    return item;
  });
  reconcile(publicList, publicCards, wanted, t("no_public"));
  for (const [id, card] of similarCards) {
    const question = state.published.get(id);
    if (question) patchCard(card, question, { votable: true });
  }
}

function toggleVote(id) {
  const wanted = !votedFor(id);
  if (wanted === state.voted.has(id)) state.pendingVotes.delete(id);
  else state.pendingVotes.set(id, wanted);
  saveVotes();
  renderPublic();
  if (state.pendingVotes.size) sendVotes();
}

let votesInFlight = false;
/** Send the pending votes one at a time; keep them on a transient error or none, and retry. */
async function sendVotes() {
  if (votesInFlight || !socket.connected || voteRetry.holding) return;
  votesInFlight = true;
  let failed = false;
  let waitMs = 0;
  try {
    for (const [id, wanted] of [...state.pendingVotes]) {
      if (!socket.connected) { failed = true; break; }
      if (state.pendingVotes.get(id) !== wanted) continue;  // changed meanwhile: next round
      if (wanted === state.voted.has(id)) {  // nothing to send: the server has it already
        state.pendingVotes.delete(id);
        continue;
      }
      let reply;
      try {
        reply = await request(socket, "vote", { id, undo: !wanted });
      } catch {
        failed = true;
        break;
      }
      const code = reply?.error?.code;
      if (code && isTransient(reply.error)) {
        failed = true;
        waitMs = retryAfterMs(reply.error);
        if (waitMs) showWait(waitMs);
        else setStatus(`${reply.error.message} ${t("retrying")}`, "error");
        break;
      }
      // A vote already there (its first acknowledgement was lost) is a vote stored, as is an
      // undo of a vote that is not there.
      const stored = !code || code === (wanted ? "already_voted" : "not_voted");
      if (stored) {
        if (wanted) state.voted.add(id); else state.voted.delete(id);
        if (reply.question) countVotes(id, reply.question.votes, reply.question.version);
      } else {
        setStatus(reply.error.message, "error");
      }
      if (state.pendingVotes.get(id) === wanted) state.pendingVotes.delete(id);
    }
  } finally {
    votesInFlight = false;
    saveVotes();
  }
  renderPublic();
  if (failed && waitMs) voteRetry.after(waitMs);
  else if (failed) voteRetry.later();
  else {
    voteRetry.done();
    // A click that came while this round was out goes now.
    if ([...state.pendingVotes].some(([id, wanted]) => wanted !== state.voted.has(id))) sendVotes();
  }
}

// After every (re)connection: the whole state again (what was missed while away), retried with
// backoff while the server cannot answer; then what this page holds goes out at once.
everyConnection(socket, async () => {
  try {
    const reply = await requestOrThrow(socket, "sync", {});
    if (reply.error) {
      setStatus(reply.error.message, "error");
      return;
    }
    // A broadcast that overtook this reply is newer than the reply's copy: it stays.
    const published = new Map();
    for (const question of reply.questions) {
      const known = state.published.get(question.id);
      if (current(question.id, question.version)) published.set(question.id, question);
      else if (known) published.set(question.id, known);  // else withdrawn since: stays out
    }
    state.published = published;
    for (const question of reply.mine || []) ownQuestion(question);
    state.voted = new Set(reply.voted || []);
    preselectTheme(reply.event.current_theme);
    // Whatever the server already has is acknowledged, even if the reply was lost.
    state.outbox = state.outbox.filter((e) => !state.mine.has(e.client_msg_id));
    saveOutbox();
    renderMine();
    renderPublic();
  } finally {
    submitRetry.now();
    voteRetry.now();
  }
});
socket.on("disconnect", renderMine);

// Messages older than what the page shows are ignored (connection.js).
const versions = new Versions();
function current(id, version) {
  return versions.current(id, version);
}

function published(questions) {
  for (const question of questions) {
    if (current(question.id, question.version)) state.published.set(question.id, question);
  }
  renderPublic();
}

/** A vote count at `version`, from an acknowledgement or the coalesced counts. */
function countVotes(id, votes, version) {
  const question = state.published.get(id);
  if (!question || !current(id, version)) return;
  state.published.set(id, { ...question, votes, version: version ?? question.version });
}

// Said once each: the steps of one's own question that matter to its author.
const ANNOUNCED = new Set(["approved", "live", "answered"]);

/** Keep one of the attendee's own questions, saying so when it moved on to a step worth
 *  announcing (not on first sight: a reload announces nothing). */
function ownQuestion(question) {
  const known = state.mine.get(question.client_msg_id);
  if (known && known.version > question.version) return;
  state.mine.set(question.client_msg_id, question);
  // Whatever the server has is acknowledged, even if its reply is still on its way (or lost).
  if (state.outbox.some((e) => e.client_msg_id === question.client_msg_id)) {
    state.outbox = state.outbox.filter((e) => e.client_msg_id !== question.client_msg_id);
    saveOutbox();
  }
  if (known && known.status !== question.status && ANNOUNCED.has(question.status)) {
    const text = question.text.length > 80 ? `${question.text.slice(0, 80)}…` : question.text;
    announce(t("announce_status").replace("{text}", text)
      .replace("{status}", t(`status_${question.status}`)));
  }
}
socket.on("question", (question) => published([question]));
socket.on("questions", published);
socket.on("question_removed", ({ id, version }) => {
  if (!current(id, version)) return;
  state.published.delete(id);
  renderPublic();
});
socket.on("my_question", (question) => {
  ownQuestion(question);
  renderMine();
});
socket.on("votes", ({ counts, versions = {} }) => {
  // Coalesced on the server: a few of these a second at most, each with the latest counts.
  for (const [id, votes] of Object.entries(counts)) countVotes(Number(id), votes, versions[id]);
  renderPublic();
});
socket.on("current_theme", ({ current_theme: key }) => preselectTheme(key));
socket.on("event", applyEventEdit);

/** The organisers edited the event (themes added, renamed, removed): the theme choices and the
 *  filter follow in place; the chosen theme, the typed question and the focus stay. */
function applyEventEdit(view) {
  const fieldset = document.querySelector("#ask fieldset.themes");
  const keep = new Set();
  themes.clear();
  for (const given of view.themes || []) {
    const theme = localizedTheme(given, view.language);
    const { title, title_lang: titleLang } = theme;
    themes.set(theme.key, theme);
    keep.add(theme.key);
    let input = document.getElementById(`theme-${theme.key}`);
    if (!input) {
      const option = el("div", "theme-option");
      input = el("input");
      Object.assign(input, { type: "radio", name: "theme", id: `theme-${theme.key}`, value: theme.key });
      const label = el("label");
      label.htmlFor = input.id;
      const name = el("span", "theme-title");
      name.dir = "auto";
      label.append(name);
      option.append(input, label);
      fieldset.append(option);
    }
    const name = input.parentElement.querySelector(".theme-title");
    const shown = theme.label ? `${theme.label}. ${title}` : title;
    if (name.textContent !== shown) {
      const label = theme.label ? el("bdi", "theme-label", `${theme.label}.`) : null;
      name.replaceChildren(...(label ? [label, " "] : []), title);
    }
    markLanguage(name, titleLang);
    let filterOption = themeFilter.querySelector(`option[value="${CSS.escape(theme.key)}"]`);
    if (!filterOption) {
      filterOption = el("option");
      filterOption.value = theme.key;
      themeFilter.append(filterOption);
    }
    if (filterOption.textContent !== shown) filterOption.textContent = shown;
  }
  for (const input of fieldset.querySelectorAll("input[name=theme]")) {
    if (!keep.has(input.value)) input.closest(".theme-option").remove();
  }
  for (const option of themeFilter.querySelectorAll("option[value]")) {
    if (option.value && !keep.has(option.value)) option.remove();
  }
  renderPublic();
  renderMine();
}

// A safety net: anything still held goes again now and then while the page stays open.
setInterval(() => {
  if (state.outbox.length && !submitRetry.scheduled) flush();
  if (state.pendingVotes.size && !voteRetry.scheduled) sendVotes();
}, 30_000);

updateCounter();
renderMine();
renderPublic();
