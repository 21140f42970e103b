// The attendee page: send a themed question, follow its status, upvote published ones.
// A question is kept in localStorage until the server acknowledges it, and resent with the same
// client_msg_id after a reconnect or a reload, so it is never lost and never duplicated.
import { connect, el, randomId, request, showConnection, t, themeName, themesByKey } from "./connection.js";

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
  inFlight: new Set(),
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

async function flush() {
  if (!socket.connected) return;
  for (const entry of [...state.outbox]) {
    if (state.inFlight.has(entry.client_msg_id)) continue;
    state.inFlight.add(entry.client_msg_id);
    try {
      const reply = await request(socket, "submit", entry);
      if (reply.error?.code === "rate_limited") {
        // Kept in the outbox: it goes again with the next retry, a little later.
        setStatus(reply.error.message, "error");
        break;
      }
      state.outbox = state.outbox.filter((e) => e.client_msg_id !== entry.client_msg_id);
      saveOutbox();
      if (reply.error) {
        setStatus(reply.error.message, "error");
        if (!textArea.value) { textArea.value = entry.text; updateCounter(); }
      } else {
        state.mine.set(reply.question.client_msg_id, reply.question);
        setStatus(reply.question.status === "pending" ? t("sent_review") : t("sent"), "ok");
      }
    } catch {
      // No acknowledgement in time: the entry stays in the outbox and goes again on reconnect.
    } finally {
      state.inFlight.delete(entry.client_msg_id);
    }
    renderMine();
  }
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
  for (const entry of state.outbox) {
    items.push(questionItem(entry, { badge: el("span", "badge status-sending", t("sending")) }));
  }
  const sorted = [...state.mine.values()].sort((a, b) => b.id - a.id);
  for (const question of sorted) {
    const item = questionItem(question, { badge: statusBadge(question.status) });
    if (question.status === "merged") {
      const target = state.published.get(question.merged_into_id);
      if (target) item.append(el("p", "merged-note", t("merged_into").replace("{text}", target.text)));
    }
    items.push(item);
  }
  mineList.replaceChildren(...(items.length ? items : [el("li", "empty", t("no_mine"))]));
}

function voteButton(question) {
  if (question.status === "answered") return null;
  const voted = state.voted.has(question.id);
  const button = el("button", "vote", `▲ ${question.votes}`);
  button.type = "button";
  button.setAttribute("aria-pressed", String(voted));
  button.setAttribute("aria-label", `${voted ? t("unvote") : t("vote")} (${question.votes} ${t("votes")})`);
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

async function toggleVote(id) {
  const undo = state.voted.has(id);
  try {
    const reply = await request(socket, "vote", { id, undo });
    if (reply.error) return setStatus(reply.error.message, "error");
    if (undo) state.voted.delete(id); else state.voted.add(id);
    state.published.set(id, { ...state.published.get(id), votes: reply.question.votes });
    renderPublic();
  } catch {
    setStatus(t("offline"), "error");
  }
}

socket.on("connect", async () => {
  try {
    const reply = await request(socket, "sync", {});
    if (reply.error) return setStatus(reply.error.message, "error");
    state.published = new Map(reply.questions.map((q) => [q.id, q]));
    state.mine = new Map((reply.mine || []).map((q) => [q.client_msg_id, q]));
    state.voted = new Set(reply.voted || []);
    preselectTheme(reply.event.current_theme);
    // Whatever the server already has is acknowledged, even if the reply was lost.
    state.outbox = state.outbox.filter((e) => !state.mine.has(e.client_msg_id));
    saveOutbox();
    renderMine();
    renderPublic();
  } catch { /* the next reconnect syncs again */ }
  flush();
});

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

// A submission whose acknowledgement timed out, or that came too fast, is retried while the
// page stays open.
setInterval(() => { if (state.outbox.length) flush(); }, 10_000);

updateCounter();
renderMine();
renderPublic();
