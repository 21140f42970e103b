// The moderator dashboard: a live queue that never needs a reload. Every change arrives as a
// "question" message; actions go out as "act" and come back acknowledged or refused (another
// moderator may have acted first: the server decides and both screens converge).
//
// A queue may hold 10,000 questions: the page keeps them all (the counts stay exact) but shows
// each column's first PAGE_SIZE, with "show more", and patches the page in place: a card is
// rebuilt only when its question changed, keyed by question id, so an open edit box, typed text
// and focus in another card survive every update. The sync arrives in pages (the server's
// SYNC_PAGE_SIZE), each a bounded message.
//
// Focus never falls to <body>: when the card holding it leaves its list (approved here, or by
// another moderator) the next card of that list takes it, and a question put on screen takes it
// along. The server decides what the page only shows: the actions each question allows, the
// suggested next question and the themes' coverage arrive in the payloads.
import {
  connect, el, everyConnection, localizedTheme, markLanguage, patchChildren, randomId, request, requestOrThrow,
  showConnection, t, themeName, themesByKey, tn,
} from "./connection.js";
import { setupSpeaking } from "./moderate-speaking.js";
import { setupTimer } from "./moderate-timer.js";
import { duration, showLocalTimes, timeFormat } from "./locale.js";

const app = document.getElementById("app");
const code = app.dataset.event;
// What this dashboard's access allows: a timekeeper reads the queue but does not curate it.
const rights = new Set((app.dataset.rights || "").split(" "));
const curates = rights.has("moderator");
const themes = themesByKey();
const ORIGINS = ["online", "room", "floor"];
const COLUMNS = ["pending", "upnext", "approved", "answered", "dismissed", "merged"];
const PAGE_SIZE = 25;  // cards shown per column before "show more"
const KEYS = { a: "approve", d: "dismiss", l: "live", x: "answered", r: "restore", u: "unlive", n: "queue" };
const ANNOUNCE_MS = 4000;  // new questions are announced together, at most this often
const SHORTCUTS_KEY = "moderator.shortcuts";  // "off" once switched off in this browser
const eventZone = app.dataset.timezone || undefined;
const timeOfDay = timeFormat(eventZone);  // the page's language, the event's zone
showLocalTimes();  // the viewer's own time beside the event's, in the header

const state = {
  questions: new Map(),
  split: {},        // id -> {room, online} votes
  theme: null,      // filter; null means all
  origin: null,
  selected: null,   // question id with keyboard focus
  currentTheme: null,
  dragging: null,
  search: "",       // lower-case text a question must contain; "" means all
  limits: Object.fromEntries(COLUMNS.map((column) => [column, PAGE_SIZE])),
  loading: null,    // the Map a paged sync is filling, until its last page
  loadingSplit: null,  // ... and its vote split
  counts: null,     // the server's exact column counts, shown while the sync pages arrive
  shown: [],        // ids of the cards on the page, in keyboard order
  overview: null,   // the server's suggested next question and theme coverage
  follow: null,     // a question id whose card takes the focus at the next render
  synced: false,    // after the first sync, a question not seen before is new
  fresh: 0,         // new questions not yet announced
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
const columnsBox = document.querySelector(".columns");
const timerPanel = setupTimer(socket, notify);
const speakingPanel = setupSpeaking(socket, notify, {
  now: timerPanel.now, shortcutsOn: () => document.getElementById("shortcuts-on").checked,
});

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
  // A question put on screen takes the focus along (its next step, "answered", is there); any
  // other action leaves it to the next card of the list (render's focus rescue).
  const focused = document.activeElement?.closest("li[data-id]");
  const reply = await send("act", { id, action, ...extra });
  if (reply) {
    if (action === "live" && focused) state.follow = id;
    upsert(reply.question);
  }
  return reply;
}

function keep(questions, question) {
  const known = questions.get(question.id);
  if (known && known.version > question.version) return;  // an older message arrived late
  questions.set(question.id, { ...known, ...question });
}

function upsert(question) {
  if (state.synced && !state.questions.has(question.id)) noteNew();
  keep(state.questions, question);
  // A change during a paged sync also goes to the map that will replace this one.
  if (state.loading && state.loading !== state.questions) keep(state.loading, question);
  scheduleRender();
}

// New questions are announced to screen readers in one polite sentence every few seconds, never
// one per question, and never the sync's pages.
const announcer = document.getElementById("announcer");
function noteNew() {
  state.fresh += 1;
  if (noteNew.timer) return;
  noteNew.timer = setTimeout(() => {
    noteNew.timer = null;
    const n = state.fresh;
    state.fresh = 0;
    announcer.textContent = tn("new_questions", n);
  }, ANNOUNCE_MS);
}

let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; render(); });
}

function visible(question) {
  return (!state.theme || question.theme === state.theme)
    && (!state.origin || question.via === state.origin)
    && (!state.search || matches(question, state.search));
}

function matches(question, search) {
  if (search === `#${question.id}`) return true;
  return [question.text, question.name, question.affiliation]
    .some((field) => field && field.toLowerCase().includes(search));
}

function filtering() {
  return Boolean(state.theme || state.origin || state.search);
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
    markLanguage(el("span", "theme-tag", themeName(themes.get(question.theme))), themes.get(question.theme)?.title_lang),
    el("span", `origin origin-${question.via}`, t(`via_${question.via}`)),
    el("span", "votes", votesLabel(question)),
    el("time", "time", timeOfDay.format(question.created_ms)),
  );
  meta.lastChild.dateTime = new Date(question.created_ms).toISOString();
  const text = el("p", "text", question.text);
  text.dir = "auto";
  item.append(meta, text);
  if (question.original_text) {
    const details = el("details", "original");
    const original = el("p", null, question.original_text);
    original.dir = "auto";
    details.append(el("summary", null, t("edited")), original);
    item.append(details);
  }
  const who = [question.name, question.affiliation].filter(Boolean).join(", ");
  const byline = el("p", "who", who || t("anonymous"));
  byline.dir = "auto";
  item.append(byline);
  if (question.flag) item.append(el("p", "flag", question.flag));
  const guide = guidingQuestion(question);
  if (guide.line) item.append(guide.line);
  const similar = question.similar_to_id && state.questions.get(question.similar_to_id);
  if (similar && similar.status !== "merged" && question.status !== "merged") {
    const note = el("p", "similar", `${t("similar_to")} #${similar.id} (${question.similarity}%): `);
    const quoted = el("span", "similar-text", similar.text);
    quoted.dir = "auto";  // isolated: an English question's "?" stays at its end in an Arabic sentence
    note.append(quoted);
    if (curates && !["merged", "live"].includes(question.status)) {
      note.append(button(t("merge_into").replace("{id}", similar.id), "act act-merge",
        () => act(question.id, "merge", { into: similar.id })));
    }
    item.append(note);
  }
  if (question.status === "merged") {
    item.append(el("p", "similar", t("merged_into").replace("{id}", question.merged_into_id)));
  }
  const actions = el("div", "actions");
  for (const action of curates ? question.actions || [] : []) {
    actions.append(button(t(action), `act act-${action}`, () => act(question.id, action)));
  }
  if (curates && question.status !== "merged") {
    const star = button(question.starred ? "★" : "☆", "act act-star",
      () => act(question.id, question.starred ? "unstar" : "star"));
    star.setAttribute("aria-label", question.starred ? t("unstar") : t("star"));
    star.setAttribute("aria-pressed", String(question.starred));
    actions.append(star, moreMenu(question));
  }
  item.append(actions);
  // After the actions: Tab from a card reaches Approve first.
  if (guide.pick) item.append(guide.pick);
  if (curates && column === "upnext") {
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

/** The guiding question this one takes up, shown short, and for a moderator a select to link it
 *  to one of its theme's guiding questions (for the session report). */
function guidingQuestion(question) {
  const guides = themes.get(question.theme)?.questions || [];
  const nodes = {};
  const linked = guides[question.guiding_question];
  if (linked) {
    const line = el("p", "guide", `${t("guiding_link").replace("{n}", question.guiding_question + 1)} `);
    const quoted = markLanguage(el("span", "guide-text", linked.text), linked.lang);
    quoted.dir = "auto";
    line.append(quoted);
    nodes.line = line;
  }
  if (!curates || !guides.length || question.status === "merged") return nodes;
  const row = el("p", "guide-pick");
  const select = el("select");
  select.id = `guide-${question.id}`;
  const label = el("label", null, t("guiding_question"));
  label.htmlFor = select.id;
  const none = el("option", null, t("guiding_none"));
  none.value = "";
  select.append(none, ...guides.map((guide, index) => {
    const option = markLanguage(el("option", null, `${index + 1}. ${guide.text}`), guide.lang);
    option.value = String(index);
    return option;
  }));
  select.value = question.guiding_question == null ? "" : String(question.guiding_question);
  select.addEventListener("change", async () => {
    const wanted = select.value === "" ? null : Number(select.value);
    const reply = await act(question.id, "guide", { guiding_question: wanted });
    // Refused: back to what the server has.
    if (!reply) select.value = question.guiding_question == null ? "" : String(question.guiding_question);
  });
  row.append(label, select);
  nodes.pick = row;
  return nodes;
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
    const option = markLanguage(el("option", null, themeName(value)), value.title_lang);
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
  // Typed but not saved: kept when the card is rebuilt by an update (carryOver).
  form.addEventListener("input", (event) => { event.target.dataset.dirty = "1"; });
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

// The chips stay the same buttons across renders (a focused chip keeps its focus); only their
// label, count and pressed state change.
const chips = new Map();
function chip(key, label, count, pressed, onClick) {
  let node = chips.get(key);
  if (!node) {
    node = button("", "chip", onClick);
    node.append(document.createTextNode(""), el("span", "chip-count"));
    chips.set(key, node);
  }
  if (node.firstChild.textContent !== label) node.firstChild.textContent = label;
  node.lastChild.textContent = String(count);
  node.setAttribute("aria-pressed", String(pressed));
  return node;
}

function tally(all) {
  // One pass over every question: what the chips and the columns need.
  const byTheme = new Map([...themes.keys()].map((key) => [key, { active: 0 }]));
  const byOrigin = new Map(ORIGINS.map((origin) => [origin, { active: 0, votes: 0 }]));
  const columns = Object.fromEntries(COLUMNS.map((column) => [column, []]));
  let active = 0;
  let live = null;
  for (const q of all) {
    if (q.status !== "dismissed" && q.status !== "merged") {
      active += 1;
      const theme = byTheme.get(q.theme);
      const origin = byOrigin.get(q.via);
      if (theme) theme.active += 1;
      if (origin) { origin.active += 1; origin.votes += q.votes; }
    }
    if (q.status === "live") live = q;
    const column = columnOf(q);
    if (columns[column] && visible(q)) columns[column].push(q);
  }
  return { byTheme, byOrigin, columns, active, live };
}

function renderFilters(stats) {
  const themeChips = [chip("theme:", t("all"), stats.active, state.theme === null, () => { state.theme = null; render(); })];
  for (const [key, theme] of themes) {
    themeChips.push(markLanguage(chip(`theme:${key}`, themeName(theme), stats.byTheme.get(key).active, state.theme === key, () => {
      state.theme = state.theme === key ? null : key; render();
    }), theme.title_lang));
  }
  patchChildren(document.getElementById("theme-filters"), themeChips);
  const originChips = [chip("origin:", t("all"), stats.active, state.origin === null, () => { state.origin = null; render(); })];
  for (const origin of ORIGINS) {
    const mine = stats.byOrigin.get(origin);
    originChips.push(chip(`origin:${origin}`, `${t(`via_${origin}`)} · ▲${mine.votes}`, mine.active, state.origin === origin, () => {
      state.origin = state.origin === origin ? null : origin; render();
    }));
  }
  patchChildren(document.getElementById("origin-filters"), originChips);
}

function renderCoverage() {
  // The server's table (moderator/core/overview.py): per theme, submitted, published, answered,
  // waiting, votes, and whether it is being neglected.
  const rows = (state.overview?.coverage || []).map((mine) => {
    const row = el("tr");
    row.classList.toggle("current-theme", mine.current);
    row.classList.toggle("unanswered", mine.neglected);
    const name = markLanguage(el("th", null, themeName(themes.get(mine.theme))), themes.get(mine.theme)?.title_lang);
    name.scope = "row";
    const meter = el("meter");
    meter.min = 0;
    meter.max = Math.max(mine.published, 1);
    meter.value = mine.answered;
    meter.setAttribute("aria-label", `${mine.answered} / ${mine.published}`);
    const meterCell = el("td", "meter-cell");
    meterCell.append(meter);
    row.append(name, el("td", null, String(mine.submitted)), el("td", null, String(mine.published)),
      el("td", null, String(mine.answered)), el("td", null, String(mine.waiting)),
      el("td", null, String(mine.votes)), meterCell);
    return row;
  });
  const body = document.getElementById("coverage");
  const key = JSON.stringify(state.overview?.coverage || []);
  if (body.dataset.key !== key) {  // nothing in it takes focus, but nothing is redone for nothing
    body.dataset.key = key;
    body.replaceChildren(...rows);
  }
  const left = timerPanel.remaining();
  const current = state.currentTheme ? themeName(themes.get(state.currentTheme)) : t("no_current_theme");
  const minutes = left == null ? ""
    : ` · ${t("segment_left").replace("{duration}", () => duration(Math.max(0, Math.ceil(left / 60000)), "minute"))}`;
  const line = `${t("now_discussing")}: ${current}${minutes}`;
  const node = document.getElementById("current-theme-line");
  if (node.textContent !== line) node.textContent = line;
}

function applyOverview(overview) {
  if (state.overview && overview.computed_ms < state.overview.computed_ms) return;  // a late one
  state.overview = overview;
  scheduleRender();
}

function sortColumn(column, list) {
  if (column === "upnext") return list.sort((a, b) => a.queue_position - b.queue_position);
  if (column === "approved") {
    return list.sort((a, b) => (b.theme === state.currentTheme) - (a.theme === state.currentTheme)
      || (b.starred - a.starred) || (b.votes - a.votes) || (a.id - b.id));
  }
  if (column === "pending") return list.sort((a, b) => a.id - b.id);
  return list.sort((a, b) => b.updated_ms - a.updated_ms);
}

function ordered(column) {
  const list = [...state.questions.values()].filter((q) => columnOf(q) === column && visible(q));
  return sortColumn(column, list);
}

// Keyed cards: per list on the page, question id -> the card and what it was built from.
const cards = new Map();
const placeholders = new Map();

function signature(question) {
  // Votes are left out: a new count patches the card's count in place (keyedCard).
  const { votes: _votes, ...rest } = question;
  const similar = question.similar_to_id && state.questions.get(question.similar_to_id);
  return JSON.stringify([rest, question.id === state.selected,
    question.theme === state.currentTheme, similar ? [similar.status, similar.text] : null]);
}

function keyedCard(container, question) {
  let known = cards.get(container);
  if (!known) cards.set(container, (known = new Map()));
  const built = signature(question);
  const entry = known.get(question.id);
  if (entry && entry.signature === built) {
    const count = entry.node.querySelector(".votes");
    const label = votesLabel(question);
    if (count.textContent !== label) count.textContent = label;
    return entry.node;
  }
  const node = card(question);
  if (entry) carryOver(entry.node, node);
  known.set(question.id, { node, signature: built });
  return node;
}

function carryOver(old, fresh) {
  // What the moderator was doing in a card that has to be rebuilt: open menus, typed text.
  const oldDetails = old.querySelectorAll("details");
  fresh.querySelectorAll("details").forEach((details, index) => {
    if (oldDetails[index]?.className === details.className) details.open = oldDetails[index].open;
  });
  for (const field of old.querySelectorAll("[data-dirty]")) {
    const twin = fresh.querySelector(`#${CSS.escape(field.id)}`);
    if (twin) {
      twin.value = field.value;
      twin.dataset.dirty = "1";
    }
  }
}

function pathTo(element, root) {
  const path = [];
  for (let node = element; node && node !== root; node = node.parentElement) {
    path.unshift([...node.parentElement.children].indexOf(node));
  }
  return path;
}

function follow(root, path) {
  let node = root;
  for (const index of path) node = node?.children[index];
  return node;
}

function prune(container, shown) {
  // Forget the cards no longer on the page (the cache holds at most what is shown).
  const known = cards.get(container);
  if (!known || known.size <= shown.length) return;
  const ids = new Set(shown.map((q) => q.id));
  for (const id of known.keys()) if (!ids.has(id)) known.delete(id);
}

function renderList(container, questions, limit) {
  const shown = questions.slice(0, limit);
  if (!placeholders.has(container)) placeholders.set(container, el("li", "empty", t("empty")));
  patchChildren(container, shown.length
    ? shown.map((q) => keyedCard(container, q)) : [placeholders.get(container)]);
  prune(container, shown);
  return shown;
}

function focusInCard() {
  // Where the focus is, if in a card: enough to find it again after the render, or the card
  // that should take it if this one leaves its list.
  const active = document.activeElement;
  const holder = active?.closest?.("li[data-id]");
  const container = holder?.parentElement;
  if (!holder || !container) return null;
  const siblings = [...container.children].filter((node) => node.dataset.id);
  const index = siblings.indexOf(holder);
  const ids = (nodes) => nodes.map((node) => Number(node.dataset.id));
  return {
    active, container, id: Number(holder.dataset.id), path: pathTo(active, holder),
    selection: "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null,
    after: ids(siblings.slice(index + 1)), before: ids(siblings.slice(0, index).reverse()),
  };
}

function cardIn(container, id) {
  return container.querySelector(`:scope > li[data-id="${id}"]`);
}

function restoreFocus(focus) {
  const followed = state.follow;
  state.follow = null;
  if (followed != null) {
    const target = document.querySelector(`#live > li[data-id="${followed}"]`);
    if (target) { target.focus(); return; }
  }
  if (!focus || (focus.active.isConnected && document.activeElement === focus.active)) return;
  const twin = cardIn(focus.container, focus.id);
  if (twin) {
    // The card was rebuilt (its question changed) or moved within its list: focus its twin.
    const again = focus.active.isConnected && twin.contains(focus.active) ? focus.active : follow(twin, focus.path);
    if (again) {
      again.focus({ preventScroll: true });
      if (focus.selection && "setSelectionRange" in again) {
        try { again.setSelectionRange(...focus.selection); } catch { /* not a text field */ }
      }
      return;
    }
  }
  // The card left its list: the next one takes the focus (and the selection), else the one
  // before, else the list's column.
  for (const id of [...focus.after, ...focus.before]) {
    const next = cardIn(focus.container, id);
    if (next) {
      select(id);
      next.focus({ preventScroll: true });
      return;
    }
  }
  (focus.container.closest("section") || document.getElementById("incoming")).focus({ preventScroll: true });
}

function select(id) {
  // The selection is drawn by the cards (their signature): re-render to move it.
  if (state.selected === id) return;
  state.selected = id;
  scheduleRender();
}

function moreButton(column) {
  // "Show more" under a column that holds more than it shows.
  const list = document.querySelector(`ol[data-status="${column}"]`);
  let row = list.nextElementSibling;
  if (!row?.classList.contains("more-row")) {
    row = el("p", "more-row");
    row.dataset.more = column;
    const label = el("span", "showing");
    const more = button("", "show-more", () => {
      state.limits[column] += PAGE_SIZE;
      render();
    });
    row.append(label, more);
    list.after(row);
  }
  return row;
}

// The suggested question (the server's choice) keeps the same nodes: a focused button stays.
const suggested = document.getElementById("suggested");
const suggestedButton = button(t("live"), "act act-live", () => {
  const next = state.overview?.suggested;
  if (next) act(next.id, "live");
});
suggested.append(suggestedButton);
function renderSuggested() {
  const next = state.overview?.suggested;
  // The overview lags a moment behind the questions: never offer one that is no longer approved.
  const known = next && state.questions.get(next.id);
  const offer = known && known.status === "approved" ? known : null;
  suggested.hidden = !offer;
  if (!offer) return;
  const origin = suggested.querySelector(".origin");
  origin.className = `origin origin-${offer.via}`;
  if (origin.textContent !== t(`via_${offer.via}`)) origin.textContent = t(`via_${offer.via}`);
  const text = suggested.querySelector(".text");
  if (text.textContent !== offer.text) text.textContent = offer.text;
}

function render() {
  const focus = focusInCard();
  const all = [...state.questions.values()];
  const stats = tally(all);
  renderFilters(stats);
  renderCoverage();
  const liveBox = document.getElementById("live");
  if (stats.live) {
    patchChildren(liveBox, [keyedCard(liveBox, stats.live)]);
    prune(liveBox, [stats.live]);
  } else {
    if (!placeholders.has(liveBox)) placeholders.set(liveBox, el("li", "empty", t("nothing_live")));
    patchChildren(liveBox, [placeholders.get(liveBox)]);
  }
  renderSuggested();
  // While a sync's pages arrive, the server's counts are the exact ones (unfiltered).
  const counts = state.loading && state.counts && !filtering() ? state.counts : null;
  state.shown = stats.live ? [stats.live.id] : [];
  for (const column of COLUMNS) {
    const list = sortColumn(column, stats.columns[column]);
    const target = document.querySelector(`ol[data-status="${column}"]`);
    const shown = renderList(target, list, state.limits[column]);
    state.shown.push(...shown.map((q) => q.id));
    const total = counts ? counts[column] : list.length;
    const badge = document.querySelector(`[data-count="${column}"]`);
    if (badge.textContent !== String(total)) badge.textContent = String(total);
    const more = moreButton(column);
    more.hidden = list.length <= shown.length;
    if (!more.hidden) {
      more.firstChild.textContent = t("showing").replace("{shown}", shown.length).replace("{total}", total);
      more.lastChild.textContent = tn("show_more", Math.min(PAGE_SIZE, list.length - shown.length));
    }
  }
  if (state.currentTheme !== document.getElementById("current-theme").value) {
    document.getElementById("current-theme").value = state.currentTheme || "";
  }
  restoreFocus(focus);
}

function navigationOrder() {
  // The cards on the page, in order: j and k move through what the moderator can see.
  return state.shown;
}

// Shortcuts that cannot surprise: a switch turns them off (remembered in this browser); none
// fires while typing in a field or while on a button, link or summary (Space and Enter are
// theirs); the clock's keys do nothing on a question card, and ask before the room sees a change.
const shortcutsOn = document.getElementById("shortcuts-on");
shortcutsOn.checked = localStorage.getItem(SHORTCUTS_KEY) !== "off";
shortcutsOn.addEventListener("change", () => {
  localStorage.setItem(SHORTCUTS_KEY, shortcutsOn.checked ? "on" : "off");
});

function mayUseShortcut(event) {
  if (!shortcutsOn.checked || event.ctrlKey || event.metaKey || event.isComposing) return false;
  return !event.target.closest?.("input, textarea, select, button, a, summary, [contenteditable], [role=button]");
}

document.addEventListener("keydown", (event) => {
  if (!mayUseShortcut(event)) return;
  const order = navigationOrder();
  // A card's keys act on the card that has the focus, else on the selected one.
  const holder = event.target.closest?.("li[data-id]");
  const question = state.questions.get(holder ? Number(holder.dataset.id) : state.selected);
  if (event.altKey) {
    // Alt+Up / Alt+Down move the selected question within "up next".
    if (question && columnOf(question) === "upnext" && ["ArrowUp", "ArrowDown"].includes(event.key)) {
      shiftInQueue(question.id, event.key === "ArrowUp" ? -1 : 1);
      event.preventDefault();
    }
    return;
  }
  if (event.key === "j" || event.key === "k") {
    const index = order.indexOf(question?.id ?? state.selected);
    const next = event.key === "j" ? Math.min(index + 1, order.length - 1) : Math.max(index - 1, 0);
    state.selected = order[next === -1 ? 0 : next] ?? null;
    render();
    // The selected card takes the focus, so the next key acts where the moderator looks.
    document.querySelector(`li[data-id="${state.selected}"]`)?.focus();
    event.preventDefault();
    return;
  }
  if (event.target.closest?.("li[data-id]") && [" ", "+", "=", "-", "[", "]"].includes(event.key)) {
    return;  // on a question, the clock's keys do nothing (a stray Space must not pause the room)
  }
  if (speakingPanel.shortcut(event)) {  // digits: who has the floor
    event.preventDefault();
    return;
  }
  if (timerPanel.shortcut(event)) {
    event.preventDefault();
    return;
  }
  if (!question || !curates) return;
  if (event.key === "s") { act(question.id, question.starred ? "unstar" : "star"); event.preventDefault(); }
  const action = KEYS[event.key];
  if (action && (question.actions || []).includes(action)) {
    // The selection moves down the list so a run of approvals flows; the focus follows it.
    const index = order.indexOf(question.id);
    const next = order[index + 1] ?? order[index - 1] ?? null;
    act(question.id, action);
    // At once, not when the reply comes: the next key (pressed before it) is for the next card.
    state.selected = next;
    if (holder) {
      render();
      document.querySelector(`li[data-id="${next}"]`)?.focus();
    }
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
  // Words being typed (in the box, or typed and not saved yet) are not overwritten.
  const words = document.getElementById("word-filter");
  if (document.activeElement !== words && !words.dataset.dirty) {
    words.value = (settings.word_filter || []).join("\n");
  }
  scheduleRender();
}

// Search: the columns show only the questions whose text, name or affiliation holds the words
// (or "#12", question 12); typing waits for a pause before filtering 10,000 questions again.
const search = document.getElementById("search");
search.addEventListener("input", () => {
  clearTimeout(search.timer);
  search.timer = setTimeout(() => {
    state.search = search.value.trim().toLowerCase();
    scheduleRender();
  }, 150);
});

document.getElementById("word-filter").addEventListener("input", (event) => {
  event.target.dataset.dirty = "1";
});
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
  const box = document.getElementById("word-filter");
  delete box.dataset.dirty;  // the reply shows the list as the server keeps it
  if (await saveSettings({ word_filter: words })) notify(t("saved"));
  else box.dataset.dirty = "1";
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

// The whole state after every (re)connection, retried with backoff until the server answers:
// the first reply carries the exact counts and the first page of questions, the next pages
// follow. A first load shows each page as it comes; a resync keeps the old state until the
// last page, then swaps (changes that arrive meanwhile go to both).
const fullSync = everyConnection(socket, async () => {
  let reply = await requestOrThrow(socket, "sync", {});
  if (reply.error) {
    notify(`${t("failed")} ${reply.error.message}`);
    if (reply.error.code === "unauthorized") window.location.reload();
    return;
  }
  const fresh = new Map();
  const split = {};
  state.loading = fresh;
  state.loadingSplit = split;
  state.counts = reply.counts;
  columnsBox.setAttribute("aria-busy", "true");  // until the last page
  if (!state.questions.size) state.questions = fresh;
  if (reply.settings) applySettings(reply.settings);  // not for the screens' helpers
  if (reply.overview) {
    state.overview = null;  // a sync's overview replaces whatever came before
    applyOverview(reply.overview);
  }
  timerPanel.load(reply);
  speakingPanel.load(reply);
  for (;;) {
    for (const question of reply.questions) keep(fresh, question);
    Object.assign(split, reply.vote_split || {});
    if (state.questions === fresh) state.split = split;
    if (reply.next == null) break;
    scheduleRender();
    reply = await requestOrThrow(socket, "sync", { after: reply.next });
    if (state.loading !== fresh) return;  // a newer sync took over
    if (reply.error) {
      notify(`${t("failed")} ${reply.error.message}`);
      return;
    }
  }
  state.questions = fresh;
  state.split = split;
  state.loading = null;
  state.loadingSplit = null;
  state.counts = null;
  state.synced = true;
  columnsBox.setAttribute("aria-busy", "false");
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
  // Into the shown state and, during a paged sync, the state that will replace it.
  for (const questions of new Set([state.questions, state.loading])) {
    for (const [id, votes] of Object.entries(counts)) {
      const question = questions?.get(Number(id));
      if (question) question.votes = votes;
    }
  }
  for (const known of new Set([state.split, state.loadingSplit])) {
    if (known) Object.assign(known, split || {});
  }
  scheduleRender();
});
socket.on("settings", applySettings);
// The event was edited in the workspace: theme names follow (the agenda comes with the timer).
socket.on("event", (view) => {
  themes.clear();
  for (const theme of view.themes || []) themes.set(theme.key, localizedTheme(theme, view.language));
  scheduleRender();
});

// The audit trail: loaded when its panel opens, and again on request.
const auditBox = document.getElementById("audit-box");
async function loadAudit() {
  const list = document.getElementById("audit");
  try {
    const response = await fetch(`/api/events/${encodeURIComponent(code)}/audit?limit=30`, {
      credentials: "same-origin", headers: { Accept: "application/json" },
    });
    const reply = await response.json();
    if (!response.ok) { notify(`${t("failed")} ${reply.error?.message || response.status}`); return; }
    const format = timeFormat(eventZone, { withDate: true });
    patchChildren(list, reply.entries.map((entry) => {
      const item = el("li");
      const when = el("time", null, format.format(entry.at_ms));
      when.dateTime = new Date(entry.at_ms).toISOString();
      const who = el("span", "who", entry.who);
      who.dir = "auto";
      item.append(when, " · ", who, ` (${t(`role_${entry.role}`)}) · `, el("code", null, entry.action));
      return item;
    }));
    if (!reply.entries.length) list.replaceChildren(el("li", null, t("no_actions")));
  } catch {
    notify(`${t("failed")} ${t("offline")}`);
  }
}
auditBox?.addEventListener("toggle", () => { if (auditBox.open) loadAudit(); });
document.getElementById("audit-refresh")?.addEventListener("click", loadAudit);
socket.on("overview", applyOverview);
setInterval(scheduleRender, 15_000);  // the coverage line shows the minutes left
render();
