// The attendee page: send a themed question, follow its status, upvote published ones.
// A question is kept in localStorage until the server stores it, and resent with the same
// client_msg_id (after a transient error or none, with backoff; at once after a reconnect or a
// reload), so it is never lost and never duplicated. Only a refusal of the question itself
// (empty, too long, unknown theme...) drops it, and its text goes back into the form. A vote is
// kept pending the same way until the server has it. Past a rate limit the server says when to
// come back (`retry_after`): both wait that long, saying so, and go again.
import {
  Backoff, connect, el, everyConnection, isTransient, randomId, request, requestOrThrow,
  retryAfterMs, showConnection, t, themeName, themesByKey,
} from "./connection.js";

const app = document.getElementById("app");
const code = app.dataset.event;
const via = app.dataset.via;
const maxLength = Number(app.dataset.max);
const themes = themesByKey();

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

function updateCounter() {
  const length = textArea.value.trim().length;
  count.textContent = String(length);
  counter.classList.toggle("over", length > maxLength);
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
    setStatus(t("sending_again").replace("{n}", String(left)), "wait");
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
    similarBox.replaceChildren(el("p", "similar-title", t("similar_title")),
      ...found.map((q) => questionItem(state.published.get(q.id), { voteButton: voteButton(state.published.get(q.id)) })));
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
        state.mine.set(reply.question.client_msg_id, reply.question);
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

function statusBadge(status) {
  return el("span", `badge status-${status}`, t(`status_${status}`));
}

function questionItem(question, { badge, voteButton }) {
  const item = el("li", "question");
  const meta = el("p", "meta");
  meta.append(el("span", "theme-tag", themeName(themes.get(question.theme))));
  if (badge) meta.append(badge);
  item.append(meta, el("p", "text", question.text));
  const who = [question.name, question.affiliation].filter(Boolean).join(", ");
  const footer = el("p", "who", who || t("anonymous"));
  if (voteButton) footer.append(voteButton);
  item.append(footer);
  return item;
}

function renderMine() {
  const items = [];
  const label = state.waiting || !socket.connected ? t("waiting") : t("sending");
  for (const entry of state.outbox) {
    const badge = el("span", "badge status-sending", label);
    badge.dataset.outbox = state.waiting || !socket.connected ? "waiting" : "sending";
    items.push(questionItem(entry, { badge }));
  }
  const sorted = [...state.mine.values()].sort((a, b) => b.id - a.id);
  for (const question of sorted) {
    const item = questionItem(question, { badge: statusBadge(question.status) });
    if (question.status === "merged") {
      const target = state.published.get(question.merged_into_id);
      // A function, not the text itself: "$&" or "$`" in someone's question are not patterns.
      if (target) item.append(el("p", "merged-note", t("merged_into").replace("{text}", () => target.text)));
    }
    items.push(item);
  }
  mineList.replaceChildren(...(items.length ? items : [el("li", "empty", t("no_mine"))]));
}

/** Whether this attendee's vote is on the question, counting a click not yet stored. */
function votedFor(id) {
  return state.pendingVotes.has(id) ? state.pendingVotes.get(id) : state.voted.has(id);
}

function voteButton(question) {
  if (question.status === "answered") return null;
  const voted = votedFor(question.id);
  const pending = state.pendingVotes.has(question.id);
  const button = el("button", pending ? "vote pending" : "vote", `▲ ${question.votes}${pending ? " …" : ""}`);
  button.type = "button";
  button.setAttribute("aria-pressed", String(voted));
  if (pending) button.setAttribute("aria-busy", "true");
  button.setAttribute("aria-label", `${voted ? t("unvote") : t("vote")} (${question.votes} ${t("votes")})`
    + (pending ? ` · ${t("vote_pending")}` : ""));
  button.addEventListener("click", () => toggleVote(question.id));
  return button;
}

function renderPublic() {
  const rank = { live: 0, approved: 1, answered: 2 };
  const byVotes = sortSelect.value === "votes";
  const theme = themeFilter.value;
  const sorted = [...state.published.values()]
    .filter((q) => !theme || q.theme === theme)
    .sort((a, b) => rank[a.status] - rank[b.status]
      || (byVotes ? b.votes - a.votes || a.id - b.id : b.id - a.id));
  const items = sorted.map((question) => {
    const badge = question.status === "approved" ? null : statusBadge(question.status);
    return questionItem(question, { badge, voteButton: voteButton(question) });
  });
  publicList.replaceChildren(...(items.length ? items : [el("li", "empty", t("no_public"))]));
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
        if (reply.question && state.published.has(id)) {
          state.published.set(id, { ...state.published.get(id), votes: reply.question.votes });
        }
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
    state.published = new Map(reply.questions.map((q) => [q.id, q]));
    state.mine = new Map((reply.mine || []).map((q) => [q.client_msg_id, q]));
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

function published(questions) {
  for (const question of questions) state.published.set(question.id, question);
  renderPublic();
}
socket.on("question", (question) => published([question]));
socket.on("questions", published);
socket.on("question_removed", ({ id }) => {
  state.published.delete(id);
  renderPublic();
});
socket.on("my_question", (question) => {
  state.mine.set(question.client_msg_id, question);
  renderMine();
});
socket.on("votes", ({ counts }) => {
  // Coalesced on the server: a few of these a second at most, each with the latest counts.
  for (const [id, votes] of Object.entries(counts)) {
    const question = state.published.get(Number(id));
    if (question) state.published.set(question.id, { ...question, votes });
  }
  renderPublic();
});
socket.on("current_theme", ({ current_theme: key }) => preselectTheme(key));

// A safety net: anything still held goes again now and then while the page stays open.
setInterval(() => {
  if (state.outbox.length && !submitRetry.scheduled) flush();
  if (state.pendingVotes.size && !voteRetry.scheduled) sendVotes();
}, 30_000);

updateCounter();
renderMine();
renderPublic();
