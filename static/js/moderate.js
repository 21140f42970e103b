// The moderator dashboard: a live queue that never needs a reload. Every change arrives as a
// "question" message; actions go out as "act" and come back acknowledged or refused.
import { connect, el, request, showConnection, t, themeName, themesByKey } from "./connection.js";
import { setupClock } from "./moderate-clock.js";

const app = document.getElementById("app");
const code = app.dataset.event;
const themes = themesByKey();
const ORIGINS = ["online", "room", "floor"];
const COLUMNS = ["pending", "approved", "answered", "dismissed"];
const ACTIONS = {
  pending: ["live", "approve", "dismiss"],
  approved: ["live", "answered", "dismiss"],
  live: ["unlive", "answered", "dismiss"],
  answered: ["restore", "live"],
  dismissed: ["restore", "approve"],
};
const KEYS = { a: "approve", d: "dismiss", l: "live", x: "answered", r: "restore", u: "unlive" };

const state = {
  questions: new Map(),
  theme: null,     // filter; null means all
  origin: null,
  selected: null,  // question id with keyboard focus
};

const socket = connect("/mod", { event: code });
showConnection(socket, document.getElementById("connection"));
const premoderation = document.getElementById("premoderation");
const toast = document.getElementById("toast");
const clockPanel = setupClock(socket, notify);

function notify(message) {
  toast.textContent = message;
  toast.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { toast.hidden = true; }, 5000);
}

async function act(id, action) {
  try {
    const reply = await request(socket, "act", { id, action });
    if (reply.error) notify(`${t("failed")} ${reply.error.message}`);
    else upsert(reply.question);
  } catch {
    notify(`${t("failed")} ${t("offline")}`);
  }
}

function upsert(question) {
  const known = state.questions.get(question.id);
  if (known && known.updated_ms > question.updated_ms) return;  // an older message arrived late
  state.questions.set(question.id, { ...known, ...question });
  scheduleRender();
}

let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; render(); });
}

function visible(question) {
  return (!state.theme || question.theme === state.theme)
    && (!state.origin || question.via === state.origin);
}

function card(question) {
  const item = el("li", "question");
  item.dataset.id = question.id;
  item.tabIndex = -1;
  if (question.id === state.selected) item.classList.add("selected");
  if (question.starred) item.classList.add("starred");
  const meta = el("p", "meta");
  meta.append(el("span", "theme-tag", themeName(themes.get(question.theme))),
              el("span", `origin origin-${question.via}`, t(`via_${question.via}`)),
              el("span", "votes", `▲ ${question.votes}`));
  const time = new Date(question.created_ms);
  meta.append(el("time", "time", time.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
  const who = [question.name, question.affiliation].filter(Boolean).join(", ");
  const actions = el("div", "actions");
  for (const action of ACTIONS[question.status] || []) {
    const button = el("button", `act act-${action}`, t(action));
    button.type = "button";
    button.addEventListener("click", () => act(question.id, action));
    actions.append(button);
  }
  const star = el("button", "act act-star", question.starred ? "★" : "☆");
  star.type = "button";
  star.setAttribute("aria-label", question.starred ? t("unstar") : t("star"));
  star.setAttribute("aria-pressed", String(question.starred));
  star.addEventListener("click", () => act(question.id, question.starred ? "unstar" : "star"));
  actions.append(star);
  item.append(meta, el("p", "text", question.text), el("p", "who", who || t("anonymous")), actions);
  item.addEventListener("click", (event) => {
    if (event.target.closest("button")) return;
    state.selected = question.id;
    scheduleRender();
  });
  return item;
}

function chip(label, count, pressed, onClick) {
  const button = el("button", "chip", label);
  button.type = "button";
  button.append(el("span", "chip-count", String(count)));
  button.setAttribute("aria-pressed", String(pressed));
  button.addEventListener("click", onClick);
  return button;
}

function renderFilters(all) {
  const active = all.filter((q) => q.status !== "dismissed");
  const themeChips = [chip(t("all"), active.length, state.theme === null, () => { state.theme = null; render(); })];
  for (const [key, theme] of themes) {
    const n = active.filter((q) => q.theme === key).length;
    themeChips.push(chip(themeName(theme), n, state.theme === key, () => {
      state.theme = state.theme === key ? null : key; render();
    }));
  }
  document.getElementById("theme-filters").replaceChildren(...themeChips);
  const originChips = [chip(t("all"), active.length, state.origin === null, () => { state.origin = null; render(); })];
  for (const origin of ORIGINS) {
    const n = active.filter((q) => q.via === origin).length;
    originChips.push(chip(t(`via_${origin}`), n, state.origin === origin, () => {
      state.origin = state.origin === origin ? null : origin; render();
    }));
  }
  document.getElementById("origin-filters").replaceChildren(...originChips);
}

function ordered(status) {
  const list = [...state.questions.values()].filter((q) => q.status === status && visible(q));
  if (status === "approved") {
    return list.sort((a, b) => (b.starred - a.starred) || (b.votes - a.votes) || (a.id - b.id));
  }
  if (status === "pending") return list.sort((a, b) => a.id - b.id);
  return list.sort((a, b) => b.updated_ms - a.updated_ms);
}

function render() {
  const all = [...state.questions.values()];
  renderFilters(all);
  const live = all.find((q) => q.status === "live");
  document.getElementById("live").replaceChildren(live ? card(live) : el("p", "empty", t("nothing_live")));
  for (const status of COLUMNS) {
    const list = ordered(status);
    const target = document.querySelector(`ol[data-status="${status}"]`);
    target.replaceChildren(...(list.length ? list.map(card) : [el("li", "empty", t("empty"))]));
    document.querySelector(`[data-count="${status}"]`).textContent = String(list.length);
  }
}

function navigationOrder() {
  const live = [...state.questions.values()].filter((q) => q.status === "live");
  return [...live, ...COLUMNS.flatMap(ordered)].map((q) => q.id);
}

document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
  const order = navigationOrder();
  if (event.key === "j" || event.key === "k") {
    const index = order.indexOf(state.selected);
    const next = event.key === "j" ? Math.min(index + 1, order.length - 1) : Math.max(index - 1, 0);
    state.selected = order[next === -1 ? 0 : next] ?? null;
    render();
    document.querySelector(`li[data-id="${state.selected}"]`)?.scrollIntoView({ block: "nearest" });
    event.preventDefault();
    return;
  }
  const question = state.questions.get(state.selected);
  if (!question) return;
  if (event.key === "s") { act(question.id, question.starred ? "unstar" : "star"); event.preventDefault(); }
  const action = KEYS[event.key];
  if (action && (ACTIONS[question.status] || []).includes(action)) {
    // Keep the selection on the same column position so a run of approvals flows down the list.
    const index = order.indexOf(question.id);
    act(question.id, action);
    state.selected = order[index + 1] ?? order[index - 1] ?? null;
    event.preventDefault();
  }
});

premoderation.addEventListener("change", async () => {
  const wanted = premoderation.checked;
  try {
    const reply = await request(socket, "settings", { premoderation: wanted });
    if (reply.error) { notify(`${t("failed")} ${reply.error.message}`); premoderation.checked = !wanted; }
    else notify(t(reply.premoderation ? "premod_on" : "premod_off"));
  } catch {
    premoderation.checked = !wanted;
    notify(`${t("failed")} ${t("offline")}`);
  }
});

socket.on("connect", async () => {
  try {
    const reply = await request(socket, "sync", {});
    if (reply.error) return notify(reply.error.message);
    state.questions = new Map(reply.questions.map((q) => [q.id, q]));
    premoderation.checked = reply.event.premoderation;
    clockPanel.load(reply);
    render();
  } catch { /* the next reconnect syncs again */ }
});
socket.on("connect_error", (error) => {
  if (error.data?.code === "unauthorized") window.location.reload();
});
socket.on("question", upsert);
socket.on("votes", ({ id, votes }) => {
  const question = state.questions.get(id);
  if (question) { question.votes = votes; scheduleRender(); }
});
socket.on("settings", ({ premoderation: on }) => { premoderation.checked = on; });
render();
