// The moderator dashboard: a live queue that never needs a reload. Every change arrives as a
// "question" message; actions go out as "act" and come back acknowledged or refused (another
// moderator may have acted first: the server decides and both screens converge).
import {
  connect, el, everyConnection, randomId, request, requestOrThrow, showConnection, t, themeName,
  themesByKey,
} from "./connection.js";
import { setupTimer } from "./moderate-timer.js";

const app = document.getElementById("app");
const code = app.dataset.event;
const themes = themesByKey();
const ORIGINS = ["online", "room", "floor"];
const COLUMNS = ["pending", "upnext", "approved", "answered", "dismissed", "merged"];
const ACTIONS = {
  pending: ["live", "approve", "dismiss"],
  approved: ["live", "queue", "answered", "dismiss"],
  upnext: ["live", "unqueue", "answered", "dismiss"],
  live: ["unlive", "answered", "dismiss"],
  answered: ["restore", "live"],
  dismissed: ["restore", "approve"],
  merged: [],
};
const KEYS = { a: "approve", d: "dismiss", l: "live", x: "answered", r: "restore", u: "unlive", n: "queue" };

const state = {
  questions: new Map(),
  split: {},        // id -> {room, online} votes
  theme: null,      // filter; null means all
  origin: null,
  selected: null,   // question id with keyboard focus
  currentTheme: null,
  dragging: null,
};

// Every fault is retried by connection.js, except a refusal for want of a login: the reload then
// shows the login form instead of a dashboard that can no longer act.
const socket = connect("/mod", { event: code }, {
  refused: (error) => {
    if (error.data?.code !== "unauthorized") return false;
    window.location.reload();
    return true;
  },
});
showConnection(socket, document.getElementById("connection"));
const premoderation = document.getElementById("premoderation");
const toast = document.getElementById("toast");
const timerPanel = setupTimer(socket, notify);

function notify(message) {
  toast.textContent = message;
  toast.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { toast.hidden = true; }, 6000);
}

async function send(event, data) {
  try {
    const reply = await request(socket, event, data);
    if (reply.error) {
      notify(`${t("failed")} ${reply.error.message}`);
      if (["question_changed", "stale_order"].includes(reply.error.code)) resync();
      return null;
    }
    return reply;
  } catch {
    notify(`${t("failed")} ${t("offline")}`);
    return null;
  }
}

async function act(id, action, extra = {}) {
  const reply = await send("act", { id, action, ...extra });
  if (reply) upsert(reply.question);
  return reply;
}

function upsert(question) {
  const known = state.questions.get(question.id);
  if (known && known.version > question.version) return;  // an older message arrived late
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

function columnOf(question) {
  if (question.status === "approved" && question.queue_position != null) return "upnext";
  return question.status;
}

function button(label, className, onClick) {
  const node = el("button", className, label);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

function votesLabel(question) {
  const split = state.split[question.id];
  const parts = split ? ` (${t("via_room")} ${split.room} · ${t("via_online")} ${split.online})` : "";
  return `▲ ${question.votes}${question.votes ? parts : ""}`;
}

function card(question) {
  const column = columnOf(question);
  const item = el("li", "question");
  item.dataset.id = question.id;
  item.tabIndex = -1;
  item.classList.toggle("selected", question.id === state.selected);
  item.classList.toggle("starred", question.starred);
  item.classList.toggle("current-theme", question.theme === state.currentTheme);
  const meta = el("p", "meta");
  meta.append(
    el("span", "theme-tag", themeName(themes.get(question.theme))),
    el("span", `origin origin-${question.via}`, t(`via_${question.via}`)),
    el("span", "votes", votesLabel(question)),
    el("time", "time", new Date(question.created_ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })),
  );
  item.append(meta, el("p", "text", question.text));
  if (question.original_text) {
    const details = el("details", "original");
    details.append(el("summary", null, t("edited")), el("p", null, question.original_text));
    item.append(details);
  }
  const who = [question.name, question.affiliation].filter(Boolean).join(", ");
  item.append(el("p", "who", who || t("anonymous")));
  if (question.flag) item.append(el("p", "flag", question.flag));
  const similar = question.similar_to_id && state.questions.get(question.similar_to_id);
  if (similar && similar.status !== "merged" && question.status !== "merged") {
    const note = el("p", "similar", `${t("similar_to")} #${similar.id} (${question.similarity}%): `);
    note.append(el("span", "similar-text", similar.text));
    if (!["merged", "live"].includes(question.status)) {
      note.append(button(t("merge_into").replace("{id}", similar.id), "act act-merge",
        () => act(question.id, "merge", { into: similar.id })));
    }
    item.append(note);
  }
  if (question.status === "merged") {
    item.append(el("p", "similar", t("merged_into").replace("{id}", question.merged_into_id)));
  }
  const actions = el("div", "actions");
  for (const action of ACTIONS[column] || []) {
    actions.append(button(t(action), `act act-${action}`, () => act(question.id, action)));
  }
  if (question.status !== "merged") {
    const star = button(question.starred ? "★" : "☆", "act act-star",
      () => act(question.id, question.starred ? "unstar" : "star"));
    star.setAttribute("aria-label", question.starred ? t("unstar") : t("star"));
    star.setAttribute("aria-pressed", String(question.starred));
    actions.append(star, moreMenu(question));
  }
  item.append(actions);
  if (column === "upnext") {
    item.draggable = true;
    item.addEventListener("dragstart", (event) => {
      state.dragging = question.id;
      event.dataTransfer.effectAllowed = "move";
    });
    item.addEventListener("dragover", (event) => event.preventDefault());
    item.addEventListener("drop", (event) => {
      event.preventDefault();
      if (state.dragging && state.dragging !== question.id) moveInQueue(state.dragging, question.id);
      state.dragging = null;
    });
  }
  item.addEventListener("click", (event) => {
    if (event.target.closest("button, details, input, select, textarea")) return;
    state.selected = question.id;
    scheduleRender();
  });
  return item;
}

function moreMenu(question) {
  const details = el("details", "more");
  details.append(el("summary", null, t("more")));
  const form = el("form", "edit-form");
  const textLabel = el("label", null, t("edit_text"));
  const text = el("textarea");
  text.value = question.text;
  text.rows = 3;
  text.id = `edit-${question.id}`;
  textLabel.htmlFor = text.id;
  const themeLabel = el("label", null, t("theme"));
  const theme = el("select");
  theme.id = `theme-${question.id}`;
  themeLabel.htmlFor = theme.id;
  for (const [key, value] of themes) {
    const option = el("option", null, themeName(value));
    option.value = key;
    option.selected = key === question.theme;
    theme.append(option);
  }
  const mergeLabel = el("label", null, t("merge_into_id"));
  const into = el("input");
  into.type = "number";
  into.min = "1";
  into.id = `merge-${question.id}`;
  mergeLabel.htmlFor = into.id;
  form.append(textLabel, text,
    button(t("save_text"), "act", () => act(question.id, "edit", { text: text.value })),
    themeLabel, theme,
    button(t("save_theme"), "act", () => act(question.id, "retag", { theme: theme.value })));
  if (question.status !== "live") {
    form.append(mergeLabel, into,
      button(t("merge"), "act", () => act(question.id, "merge", { into: Number(into.value) })));
  }
  form.addEventListener("submit", (event) => event.preventDefault());
  details.append(form);
  return details;
}

function queueOrder() {
  return ordered("upnext").map((q) => q.id);
}

async function moveInQueue(id, beforeId) {
  const order = queueOrder().filter((x) => x !== id);
  order.splice(order.indexOf(beforeId), 0, id);
  await reorder(order);
}

async function shiftInQueue(id, delta) {
  const order = queueOrder();
  const index = order.indexOf(id);
  const target = index + delta;
  if (index < 0 || target < 0 || target >= order.length) return;
  [order[index], order[target]] = [order[target], order[index]];
  await reorder(order);
}

async function reorder(order) {
  // Sent with exactly the ids this screen holds: a stale list is refused, not applied.
  const full = [...state.questions.values()].filter((q) => q.queue_position != null).map((q) => q.id);
  const hidden = full.filter((id) => !order.includes(id));
  const reply = await send("reorder", { order: [...order, ...hidden] });
  if (reply) {
    reply.order.forEach((id, index) => {
      const q = state.questions.get(id);
      if (q) q.queue_position = index + 1;
    });
    scheduleRender();
  }
}

function chip(label, count, pressed, onClick) {
  const node = button(label, "chip", onClick);
  node.append(el("span", "chip-count", String(count)));
  node.setAttribute("aria-pressed", String(pressed));
  return node;
}

function renderFilters(all) {
  const active = all.filter((q) => !["dismissed", "merged"].includes(q.status));
  const themeChips = [chip(t("all"), active.length, state.theme === null, () => { state.theme = null; render(); })];
  for (const [key, theme] of themes) {
    themeChips.push(chip(themeName(theme), active.filter((q) => q.theme === key).length, state.theme === key, () => {
      state.theme = state.theme === key ? null : key; render();
    }));
  }
  document.getElementById("theme-filters").replaceChildren(...themeChips);
  const originChips = [chip(t("all"), active.length, state.origin === null, () => { state.origin = null; render(); })];
  for (const origin of ORIGINS) {
    const mine = active.filter((q) => q.via === origin);
    const votes = mine.reduce((sum, q) => sum + q.votes, 0);
    originChips.push(chip(`${t(`via_${origin}`)} · ▲${votes}`, mine.length, state.origin === origin, () => {
      state.origin = state.origin === origin ? null : origin; render();
    }));
  }
  document.getElementById("origin-filters").replaceChildren(...originChips);
}

function renderCoverage(all) {
  // Per theme: submitted, approved, answered, votes, and what is still waiting.
  const rows = [...themes].map(([key, theme]) => {
    const mine = all.filter((q) => q.theme === key && q.status !== "merged");
    const count = (status) => mine.filter((q) => q.status === status).length;
    const waiting = mine.filter((q) => q.status === "approved").length;
    const answered = count("answered");
    const published = waiting + answered + count("live");
    const row = el("tr");
    row.classList.toggle("current-theme", key === state.currentTheme);
    row.classList.toggle("unanswered", key !== state.currentTheme && waiting > 0 && answered === 0);
    const name = el("th", null, themeName(theme));
    name.scope = "row";
    const meter = el("meter");
    meter.min = 0;
    meter.max = Math.max(published, 1);
    meter.value = answered;
    meter.setAttribute("aria-label", `${answered} / ${published}`);
    const meterCell = el("td", "meter-cell");
    meterCell.append(meter);
    row.append(name, el("td", null, String(mine.length)), el("td", null, String(published)),
      el("td", null, String(answered)), el("td", null, String(waiting)),
      el("td", null, String(mine.reduce((sum, q) => sum + q.votes, 0))), meterCell);
    return row;
  });
  document.getElementById("coverage").replaceChildren(...rows);
  const left = timerPanel.remaining();
  const current = state.currentTheme ? themeName(themes.get(state.currentTheme)) : t("no_current_theme");
  const minutes = left == null ? "" : ` · ${t("segment_left").replace("{n}", Math.max(0, Math.ceil(left / 60000)))}`;
  document.getElementById("current-theme-line").textContent = `${t("now_discussing")}: ${current}${minutes}`;
}

function suggestion(all) {
  // Alternate room and online: after a room question, suggest the best online one, and back.
  const waiting = all.filter((q) => q.status === "approved");
  if (!waiting.length) return null;
  const last = all.filter((q) => q.live_ms).sort((a, b) => b.live_ms - a.live_ms)[0];
  const fromRoom = (q) => q.via !== "online";
  const wanted = last ? (fromRoom(last) ? "online" : "room") : null;
  const rank = (a, b) => ((a.queue_position ?? 1e9) - (b.queue_position ?? 1e9))
    || (b.starred - a.starred) || (b.votes - a.votes) || (a.id - b.id);
  const preferred = waiting.filter((q) => wanted === null || (wanted === "online" ? !fromRoom(q) : fromRoom(q)));
  return (preferred.length ? preferred : waiting).sort(rank)[0];
}

function ordered(column) {
  const list = [...state.questions.values()].filter((q) => columnOf(q) === column && visible(q));
  if (column === "upnext") return list.sort((a, b) => a.queue_position - b.queue_position);
  if (column === "approved") {
    return list.sort((a, b) => (b.theme === state.currentTheme) - (a.theme === state.currentTheme)
      || (b.starred - a.starred) || (b.votes - a.votes) || (a.id - b.id));
  }
  if (column === "pending") return list.sort((a, b) => a.id - b.id);
  return list.sort((a, b) => b.updated_ms - a.updated_ms);
}

function render() {
  const all = [...state.questions.values()];
  renderFilters(all);
  renderCoverage(all);
  const live = all.find((q) => q.status === "live");
  document.getElementById("live").replaceChildren(live ? card(live) : el("p", "empty", t("nothing_live")));
  const next = suggestion(all);
  const suggested = document.getElementById("suggested");
  if (next) {
    suggested.replaceChildren(el("span", "label", t("suggested_next")),
      el("span", `origin origin-${next.via}`, t(`via_${next.via}`)), el("span", "text", next.text),
      button(t("live"), "act act-live", () => act(next.id, "live")));
  } else {
    suggested.replaceChildren();
  }
  for (const column of COLUMNS) {
    const list = ordered(column);
    const target = document.querySelector(`ol[data-status="${column}"]`);
    target.replaceChildren(...(list.length ? list.map(card) : [el("li", "empty", t("empty"))]));
    document.querySelector(`[data-count="${column}"]`).textContent = String(list.length);
  }
  if (state.currentTheme !== document.getElementById("current-theme").value) {
    document.getElementById("current-theme").value = state.currentTheme || "";
  }
}

function navigationOrder() {
  const live = [...state.questions.values()].filter((q) => q.status === "live");
  return [...live, ...COLUMNS.flatMap(ordered)].map((q) => q.id);
}

document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey) return;
  const order = navigationOrder();
  const question = state.questions.get(state.selected);
  if (event.altKey) {
    // Alt+Up / Alt+Down move the selected question within "up next".
    if (question && columnOf(question) === "upnext" && ["ArrowUp", "ArrowDown"].includes(event.key)) {
      shiftInQueue(question.id, event.key === "ArrowUp" ? -1 : 1);
      event.preventDefault();
    }
    return;
  }
  if (event.key === "j" || event.key === "k") {
    const index = order.indexOf(state.selected);
    const next = event.key === "j" ? Math.min(index + 1, order.length - 1) : Math.max(index - 1, 0);
    state.selected = order[next === -1 ? 0 : next] ?? null;
    render();
    document.querySelector(`li[data-id="${state.selected}"]`)?.scrollIntoView({ block: "nearest" });
    event.preventDefault();
    return;
  }
  if (!question) return;
  if (event.key === "s") { act(question.id, question.starred ? "unstar" : "star"); event.preventDefault(); }
  const action = KEYS[event.key];
  if (action && (ACTIONS[columnOf(question)] || []).includes(action)) {
    // Keep the selection moving down the list so a run of approvals flows.
    const index = order.indexOf(question.id);
    act(question.id, action);
    state.selected = order[index + 1] ?? order[index - 1] ?? null;
    event.preventDefault();
  }
});

async function saveSettings(data) {
  const reply = await send("settings", data);
  if (reply) applySettings(reply);
  return reply;
}

function applySettings(settings) {
  premoderation.checked = settings.premoderation;
  state.currentTheme = settings.current_theme;
  const words = document.getElementById("word-filter");
  if (document.activeElement !== words) words.value = (settings.word_filter || []).join("\n");
  scheduleRender();
}

premoderation.addEventListener("change", async () => {
  const wanted = premoderation.checked;
  const reply = await saveSettings({ premoderation: wanted });
  if (!reply) premoderation.checked = !wanted;
  else notify(t(reply.premoderation ? "premod_on" : "premod_off"));
});
document.getElementById("current-theme").addEventListener("change", (event) => {
  saveSettings({ current_theme: event.target.value || null });
});
document.getElementById("settings-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const words = document.getElementById("word-filter").value.split("\n").map((w) => w.trim()).filter(Boolean);
  if (await saveSettings({ word_filter: words })) notify(t("saved"));
});
document.getElementById("floor-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const reply = await send("floor", {
    client_msg_id: randomId(), text: form.elements["floor-text"].value,
    theme: form.elements["floor-theme"].value, name: form.elements["floor-name"].value || null,
    affiliation: form.elements["floor-affiliation"].value || null,
    answered: form.elements["floor-answered"].checked,
  });
  if (reply) {
    upsert(reply.question);
    form.reset();
    notify(t("floor_logged"));
  }
});

// The whole state after every (re)connection, retried with backoff until the server answers.
const fullSync = everyConnection(socket, async () => {
  const reply = await requestOrThrow(socket, "sync", {});
  if (reply.error) {
    notify(`${t("failed")} ${reply.error.message}`);
    if (reply.error.code === "unauthorized") window.location.reload();
    return;
  }
  state.questions = new Map(reply.questions.map((q) => [q.id, q]));
  state.split = reply.vote_split || {};
  applySettings(reply.settings);
  timerPanel.load(reply);
  render();
});

function resync() {
  fullSync.run();
}

// This login ended (logged out in another tab): the server closes the connection; the reload
// shows the login form. Any other disconnect by the server is retried (connection.js), and a
// login that ended meanwhile is then refused as "unauthorized", which reloads.
socket.on("logged_out", () => {
  socket.stayClosed = true;
  window.location.reload();
});
socket.on("question", upsert);
socket.on("questions", (list) => list.forEach(upsert));
socket.on("votes", ({ counts, split }) => {
  for (const [id, votes] of Object.entries(counts)) {
    const question = state.questions.get(Number(id));
    if (question) question.votes = votes;
  }
  Object.assign(state.split, split || {});
  scheduleRender();
});
socket.on("settings", applySettings);
setInterval(scheduleRender, 15_000);  // the coverage line shows the minutes left
render();
