// The event editor (/admin/events/new, /admin/events/<code>/edit): one form for everything the
// event file holds, saved as the file's JSON form (POST /api/events, or PUT with the version it
// loaded), and for an existing event the access panel (invitations), the recent actions and the
// personal-data box.
//
// The form edits the texts in the event's language only. Whatever else the loaded file holds
// (translations, segment ids, keys the form has no input for) is carried through unchanged: each
// part of the form starts from the loaded part and replaces only what the person changed. A
// refusal names a place in the file (`segments[2].minutes`); the input for that place is marked
// and focused, and nothing typed is lost. A version saved by someone else meanwhile is never
// overwritten: the server refuses, and the person chooses.
import { el, patchChildren, t, tn } from "./connection.js";
import { call, confirmAction, eventWhen, fill, markInvalid, momentText, say } from "./workspace-api.js";
import { pageLanguage } from "./locale.js";

const editor = document.getElementById("editor");
const form = document.getElementById("event-form");
const $ = (id) => document.getElementById(id);
const lists = { segments: $("segments"), themes: $("themes"), panelists: $("panelists") };
const ROW_NAMES = { segments: "segment_n", themes: "theme_n", panelists: "panelist_n" };
// The input a refusal about a whole row points to, and the file's keys read by another input.
const ROW_DEFAULT_FIELD = { segments: "minutes", themes: "title", panelists: "name" };
const FIELD_ALIASES = { seconds: "minutes", id: "title" };
const MODERATOR_INPUTS = { name: "moderator-name", role: "moderator-role", group: "moderator-group" };

const state = {
  code: editor.dataset.code || null,  // null until the event exists
  version: null,
  loaded: {},        // the JSON form as loaded or last saved: what the form carries through
  language: null,    // the event's language when loaded: the texts shown are in it
  shown: {},         // what each top-level input showed when loaded, to tell an edit
  archived: false,
  saving: false,
};
let clearError = null;
let rowCount = 0;

// --- Texts of the file: plain, or a table by language -------------------------------------

function isTable(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The text of a (possibly translated) file value that the form shows: the event's language's. */
function textIn(value, lang) {
  return isTable(value) ? value[lang] ?? "" : value ?? "";
}

/** The file value for `typed`: the loaded value itself when nothing changed (translations and
 *  all), else the typed text, put in the table of translations under the event's language when
 *  the loaded value was one. Undefined for an optional text left empty. */
function textOut(original, shown, typed, lang, { required = false } = {}) {
  if (typed === shown && lang === state.language && original !== undefined) return original;
  const text = typed.trim();
  if (!text && !required) return undefined;
  return isTable(original) ? { ...original, [lang]: text } : text;
}

function lines(text) {
  return text.split("\n").map((line) => line.trim()).filter(Boolean);
}

/** Guiding questions as the form shows them: one per line, in the event's language. The file
 *  gives a list (each item a text or a table by language) or one list per language. */
function questionsIn(value, lang) {
  if (Array.isArray(value)) return value.map((item) => textIn(item, lang)).join("\n");
  if (isTable(value)) return (value[lang] ?? []).join("\n");
  return "";
}

function questionsOut(original, shown, typed, lang) {
  if (typed === shown && lang === state.language && original !== undefined) return original;
  const typedLines = lines(typed);
  if (isTable(original)) return { ...original, [lang]: typedLines };
  if (Array.isArray(original)) {
    // Line i replaces question i's text in the event's language; its translations stay.
    return typedLines.map((line, i) => (isTable(original[i]) ? { ...original[i], [lang]: line } : line));
  }
  return typedLines;
}

/** A list of texts shown one per line; the loaded list itself when unchanged. */
function listOut(original, shown, typed) {
  if (typed === shown && original !== undefined) return original;
  const items = lines(typed);
  return items.length ? items : undefined;
}

/** Speakers: one per line, or on one line separated by commas. */
function speakersOut(original, shown, typed) {
  if (typed === shown && original !== undefined) return original;
  const text = typed.trim();
  const items = (text.includes("\n") ? text.split("\n") : text.split(",")).map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

function numberOut(typed) {
  const text = typed.trim();
  if (text === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;  // the server says what is wrong with the text
}

function minutesShown(segment) {
  if (typeof segment.minutes === "number") return String(segment.minutes);
  if (typeof segment.seconds === "number") return String(Math.round((segment.seconds / 60) * 100) / 100);
  return "";
}

function put(target, key, value) {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) delete target[key];
  else target[key] = value;
}

// --- Rows: segments, themes, panelists -------------------------------------------------------

function newRow(kind) {
  const row = $(`${kind.slice(0, -1)}-template`).content.firstElementChild.cloneNode(true);
  rowCount += 1;
  row.dataset.key = String(rowCount);
  row.original = {};
  row.shown = {};
  for (const input of row.querySelectorAll("[data-field]")) {
    input.id = `${kind}-${rowCount}-${input.dataset.field}`;
    row.querySelector(`label[data-for="${input.dataset.field}"]`).htmlFor = input.id;
  }
  for (const hint of row.querySelectorAll("p[data-hint]")) {
    hint.id = `${kind}-${rowCount}-${hint.dataset.hint}-hint`;
    row.querySelector(`[data-field="${hint.dataset.hint}"]`).setAttribute("aria-describedby", hint.id);
  }
  row.querySelector("[data-remove]").addEventListener("click", () => removeRow(kind, row));
  for (const button of row.querySelectorAll("[data-move]")) {
    button.addEventListener("click", () => moveRow(kind, row, Number(button.dataset.move), button));
  }
  if (kind === "themes") {
    // A new theme's key follows its title until the person types a key of their own.
    const key = row.querySelector("[data-field=key]");
    const title = row.querySelector("[data-field=title]");
    title.addEventListener("input", () => {
      if (row.autoKey) key.value = keyFrom(title.value, row);
    });
    key.addEventListener("input", () => { row.autoKey = false; });
  }
  return row;
}

/** A theme key from its title: lowercase Latin letters and digits joined by "-"; "theme-N"
 *  for a title in another script. */
function keyFrom(title, row) {
  const slug = title.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 32).replace(/-+$/, "");
  if (slug.length >= 1) return slug;
  return `theme-${[...lists.themes.children].indexOf(row) + 1}`;
}

function field(row, name) {
  return row.querySelector(`[data-field="${name}"]`);
}

function fillRow(kind, row, item, lang) {
  row.original = structuredClone(item);
  const values = {};
  if (kind === "segments") {
    values.title = textIn(item.title, lang);
    values.minutes = minutesShown(item);
    values.warning = item.warning == null ? "" : String(item.warning);
    values.danger = item.danger == null ? "" : String(item.danger);
    values.speakers = (item.speakers ?? []).join("\n");
    values.notes = item.notes ?? "";
  } else if (kind === "themes") {
    values.title = textIn(item.title, lang);
    values.label = item.label ?? "";
    values.key = item.key ?? "";
    values.questions = questionsIn(item.questions, lang);
    row.autoKey = !item.key;
  } else {
    values.name = item.name ?? "";
    values.role = item.role ?? "";
    values.group = item.group ?? "";
    values.target_share = item.target_share == null ? "" : String(item.target_share);
  }
  row.shown = values;
  for (const [name, value] of Object.entries(values)) {
    const input = field(row, name);
    if (input.value !== value) input.value = value;
  }
}

function rowOut(kind, row, lang) {
  const item = structuredClone(row.original);
  const typed = (name) => field(row, name).value;
  if (kind === "segments") {
    put(item, "title", textOut(row.original.title, row.shown.title, typed("title"), lang, { required: true }));
    if (typed("minutes") !== row.shown.minutes || !("minutes" in item || "seconds" in item)) {
      delete item.minutes;
      delete item.seconds;
      put(item, "minutes", numberOut(typed("minutes")));
    }
    put(item, "warning", numberOut(typed("warning")));
    put(item, "danger", numberOut(typed("danger")));
    put(item, "speakers", speakersOut(row.original.speakers, row.shown.speakers, typed("speakers")));
    put(item, "notes", typed("notes").trim() || undefined);
  } else if (kind === "themes") {
    put(item, "key", typed("key").trim());
    put(item, "title", textOut(row.original.title, row.shown.title, typed("title"), lang, { required: true }));
    put(item, "label", typed("label").trim() || undefined);
    put(item, "questions", questionsOut(row.original.questions, row.shown.questions, typed("questions"), lang));
  } else {
    put(item, "name", typed("name").trim());
    put(item, "role", typed("role").trim() || undefined);
    put(item, "group", typed("group").trim() || undefined);
    put(item, "target_share", numberOut(typed("target_share")));
  }
  return item;
}

function rowTitle(kind, row) {
  const title = field(row, kind === "panelists" ? "name" : "title").value.trim();
  return title || fill(t(ROW_NAMES[kind]), { n: [...lists[kind].children].indexOf(row) + 1 });
}

/** Number the rows' legends and mark the ends' move buttons as unavailable. */
function renumber(kind) {
  const rows = [...lists[kind].children];
  rows.forEach((row, i) => {
    row.querySelector(".row-legend").textContent = fill(t(ROW_NAMES[kind]), { n: i + 1 });
    const up = row.querySelector('[data-move="-1"]');
    const down = row.querySelector('[data-move="1"]');
    // aria-disabled, not disabled: a disabled button would drop the focus it holds.
    up?.setAttribute("aria-disabled", String(i === 0));
    down?.setAttribute("aria-disabled", String(i === rows.length - 1));
  });
}

function setRows(kind, items, lang) {
  const holder = lists[kind];
  const rows = items.map((item, i) => {
    const row = holder.children[i] ?? newRow(kind);
    fillRow(kind, row, item, lang);
    return row;
  });
  patchChildren(holder, rows);
  renumber(kind);
}

function addRow(kind) {
  const row = newRow(kind);
  if (kind === "themes") row.autoKey = true;
  lists[kind].append(row);
  renumber(kind);
  row.querySelector("input").focus();
}

const moved = $("moved");
function moveRow(kind, row, step, button) {
  const rows = [...lists[kind].children];
  const from = rows.indexOf(row);
  const to = from + step;
  if (to < 0 || to >= rows.length) {
    moved.textContent = t(step < 0 ? "already_first" : "already_last");
    return;
  }
  // The neighbour moves, not this row: the focused button never leaves the page.
  const neighbour = rows[to];
  if (step < 0) row.after(neighbour);
  else row.before(neighbour);
  renumber(kind);
  if (document.activeElement !== button) button.focus();
  moved.textContent = fill(t("moved"), { title: rowTitle(kind, row), position: to + 1, count: rows.length });
}

function removeRow(kind, row) {
  const title = rowTitle(kind, row);
  const next = row.nextElementSibling ?? row.previousElementSibling;
  row.remove();
  renumber(kind);
  moved.textContent = fill(t("removed"), { title });
  (next?.querySelector("[data-remove]") ?? $(`add-${kind.slice(0, -1)}`)).focus();
}

$("add-segment").addEventListener("click", () => addRow("segments"));
$("add-theme").addEventListener("click", () => addRow("themes"));
$("add-panelist").addEventListener("click", () => addRow("panelists"));

// --- The whole form ---------------------------------------------------------------------------

const TEXTS = ["title", "subtitle"];
const PLAIN = ["date", "start", "timezone", "format", "venue"];
const LISTS = { organisers: "organisers", word_filter: "word-filter" };

/** Show `file` (a JSON form) in the form, reusing the rows already there (their focus stays). */
function show(file) {
  const lang = file.language ?? "en";
  state.loaded = structuredClone(file);
  state.language = lang;
  const shown = {};
  $("language").value = lang;
  for (const name of TEXTS) shown[name] = textIn(file[name], lang);
  for (const name of PLAIN) shown[name] = file[name] ?? "";
  for (const [name, id] of Object.entries(LISTS)) shown[id] = (file[name] ?? []).join("\n");
  shown["moderator-name"] = file.moderator?.name ?? "";
  shown["moderator-role"] = file.moderator?.role ?? "";
  shown["moderator-group"] = file.moderator?.group ?? "";
  shown["erase-days"] = file.erase_names_after_days == null ? "" : String(file.erase_names_after_days);
  for (const [id, value] of Object.entries(shown)) {
    if ($(id).value !== value) $(id).value = value;
  }
  $("premoderation").checked = file.premoderation ?? true;
  $("auto-advance").checked = file.auto_advance ?? false;
  state.shown = shown;
  setRows("segments", file.segments ?? [], lang);
  setRows("themes", file.themes ?? [], lang);
  setRows("panelists", file.panelists ?? [], lang);
  showTitle();
}

/** The JSON form of what the form holds now. */
function collect() {
  const lang = $("language").value;
  const out = structuredClone(state.loaded);
  const typed = (id) => $(id).value;
  out.code = state.code ?? typed("code").trim();
  out.language = lang;
  put(out, "title", textOut(state.loaded.title, state.shown.title, typed("title"), lang, { required: true }));
  put(out, "subtitle", textOut(state.loaded.subtitle, state.shown.subtitle, typed("subtitle"), lang));
  for (const name of PLAIN) put(out, name, typed(name).trim() || undefined);
  for (const [name, id] of Object.entries(LISTS)) put(out, name, listOut(state.loaded[name], state.shown[id], typed(id)));
  out.premoderation = $("premoderation").checked;
  out.auto_advance = $("auto-advance").checked;
  put(out, "erase_names_after_days", numberOut(typed("erase-days")));
  const name = typed("moderator-name").trim();
  const role = typed("moderator-role").trim();
  const group = typed("moderator-group").trim();
  if (name || role || group) {
    const moderator = { ...(state.loaded.moderator ?? {}), name };
    put(moderator, "role", role || undefined);
    put(moderator, "group", group || undefined);
    out.moderator = moderator;
  } else {
    delete out.moderator;
  }
  for (const kind of Object.keys(lists)) {
    put(out, kind, [...lists[kind].children].map((row) => rowOut(kind, row, lang)));
  }
  if (!out.segments) out.segments = [];  // the server says at least one is needed
  return out;
}

function showTitle() {
  const title = $("title").value.trim();
  $("editor-subtitle").textContent = [title, state.code].filter(Boolean).join(" · ");
  const when = eventWhen($("date").value, $("start").value, $("timezone").value.trim());
  if (when) $("editor-subtitle").textContent += ` · ${when}`;
}

/** The input a refusal's place in the file names: `segments[2].minutes` is the third segment's
 *  minutes, `themes[0].questions[1]` the first theme's guiding questions, `title.fr` the title
 *  (its French translation came with the file). Null for a place with no input. */
function inputFor(place) {
  const inRow = /^(segments|themes|panelists)\[(\d+)\](?:\.(\w+))?/.exec(place);
  if (inRow) {
    const [, kind, index, key] = inRow;
    const row = lists[kind].children[Number(index)];
    if (!row) return null;
    const name = FIELD_ALIASES[key] ?? key ?? ROW_DEFAULT_FIELD[kind];
    return field(row, name) ?? row.querySelector("input");
  }
  const [top, sub] = place.split(/[.[\]]+/);
  if (top in lists) return $(`add-${top.slice(0, -1)}`);
  if (top === "moderator") return $(MODERATOR_INPUTS[sub] ?? "moderator-name");
  return form.querySelector(`[data-field="${top}"]`);
}

function showRefusal(error) {
  const formError = $("form-error");
  const place = error.field ?? (error.code === "event_exists" ? "code" : null);
  const input = place ? inputFor(place) : null;
  if (input && !(input.tagName === "INPUT" && input.readOnly)) {
    clearError = markInvalid(input, error.message);
    return;
  }
  formError.textContent = place && !error.message.includes(place)
    ? fill(t("at_place"), { place, message: error.message })
    : error.message;
  formError.hidden = false;
  formError.focus();
  clearError = () => { formError.hidden = true; };
}

async function save(submitted) {
  submitted.preventDefault();
  if (state.saving) return;
  state.saving = true;
  clearError?.();
  clearError = null;
  $("conflict").hidden = true;
  const status = $("save-status");
  say(status, t("saving"));
  const body = collect();
  const reply = state.code
    ? await call("PUT", `/api/events/${encodeURIComponent(state.code)}`, { ...body, version: state.version })
    : await call("POST", "/api/events", body);
  state.saving = false;
  if (reply.ok) {
    const created = !state.code;
    state.version = reply.data.version;
    if (created) becomeExisting(reply.data.code ?? body.code);
    show(reply.data.file ?? body);
    say(status, fill(t("saved_version"), { version: state.version }), "ok");
    refreshSide();
    return;
  }
  const error = reply.data.error;
  if (reply.status === 409 && error.code === "stale_version") {
    say(status, t("not_saved"), "error");
    $("conflict").hidden = false;
    return;
  }
  say(status, t("not_saved"), "error");
  showRefusal(error);
}

form.addEventListener("submit", save);
for (const id of ["title", "date", "start", "timezone"]) $(id).addEventListener("change", showTitle);

/** After the first save: the page becomes this event's editor, as if opened at its address. */
function becomeExisting(code) {
  state.code = code;
  const codeInput = $("code");
  codeInput.readOnly = true;
  codeInput.dir = "ltr";
  $("code-hint").textContent = t("code_fixed");
  $("editor-heading").textContent = t("edit_event");
  document.title = `${t("edit_event")} · ${code}`;
  $("save").textContent = t("save");
  for (const id of ["dashboard-link", "export-link"]) {
    const link = $(id);
    link.href = link.dataset.href.replace("{code}", encodeURIComponent(code));
    link.hidden = false;
  }
  $("editor-side").hidden = false;
  const address = `/admin/events/${encodeURIComponent(code)}/edit`;
  history.replaceState(null, "", address + window.location.search);
  // The language switcher comes back to this event's editor, not to an empty form.
  for (const link of document.querySelectorAll(".languages a")) {
    const url = new URL(link.href);
    url.searchParams.set("next", address);
    link.href = url.pathname + url.search;
  }
}

async function load() {
  const reply = await call("GET", `/api/events/${encodeURIComponent(state.code)}`);
  if (!reply.ok) {
    say($("load-status"), reply.data.error.message, "error");
    return false;
  }
  state.version = reply.data.version;
  show(reply.data.file ?? {});
  say($("load-status"), "");
  return true;
}

$("load-theirs").addEventListener("click", async () => {
  if (!(await confirmAction(t("confirm_load_theirs"), t("load_theirs_yes")))) return;
  clearError?.();
  clearError = null;
  if (await load()) {
    $("conflict").hidden = true;
    say($("save-status"), fill(t("loaded_version"), { version: state.version }), "ok");
    $("title").focus();
  }
});

// --- Access: invitations -----------------------------------------------------------------------

const api = (path = "") => `/api/events/${encodeURIComponent(state.code)}${path}`;
const ROLES = ["moderator", "timekeeper", "screens"];
let clearInviteError = null;

async function refreshInvitations() {
  const reply = await call("GET", api("/invitations"));
  if (!reply.ok) {
    say($("access-status"), reply.data.error.message, "error");
    return;
  }
  const items = reply.data.invitations ?? [];
  const holder = $("invitations");
  const known = new Map([...holder.children].map((item) => [item.dataset.id, item]));
  patchChildren(holder, items.map((invitation) => invitationItem(invitation, known.get(String(invitation.id)))));
  $("no-invitations").hidden = items.length > 0;
}

function roleName(role) {
  return ROLES.includes(role) || role === "admin" ? t(`role_${role}`) : role;
}

function invitationItem(invitation, item) {
  const id = String(invitation.id);
  const revoked = invitation.revoked_ms != null;
  const stamp = `${invitation.revoked_ms ?? ""}`;
  if (item && item.dataset.stamp === stamp) return item;
  const fresh = el("li", "invitation");
  fresh.dataset.id = id;
  fresh.dataset.stamp = stamp;
  fresh.classList.toggle("revoked", revoked);
  const label = el("strong", "invitation-label", invitation.label);
  label.dir = "auto";
  label.id = `invitation-${id}`;
  const role = el("span", "badge role-badge", roleName(invitation.role));
  const head = el("p", "invitation-head");
  head.append(label, " ", role);
  const created = el("p", "invitation-meta", fill(t("created_by"), {
    when: momentText(invitation.created_ms), who: invitation.created_by ?? "",
  }));
  const state_ = el("p", `invitation-state ${revoked ? "is-revoked" : "is-active"}`,
    revoked ? fill(t("revoked_at"), { when: momentText(invitation.revoked_ms) }) : t("active"));
  fresh.append(head, created, state_);
  if (!revoked) {
    const revoke = el("button", "danger", t("revoke"));
    revoke.type = "button";
    revoke.setAttribute("aria-describedby", label.id);
    revoke.addEventListener("click", () => revokeInvitation(invitation));
    fresh.append(revoke);
  }
  if (item?.contains(document.activeElement)) queueMicrotask(() => fresh.querySelector("button, strong")?.focus());
  return fresh;
}

async function revokeInvitation(invitation) {
  const question = fill(t("confirm_revoke"), { label: invitation.label });
  if (!(await confirmAction(question, t("revoke_yes")))) return;
  const reply = await call("DELETE", api(`/invitations/${encodeURIComponent(invitation.id)}`));
  if (!reply.ok) {
    say($("access-status"), reply.data.error.message, "error");
    return;
  }
  say($("access-status"), fill(t("revoked"), { label: invitation.label }), "ok");
  await refreshInvitations();
  const title = $("invitations-title");
  title.tabIndex = -1;
  title.focus();
  refreshAudit();
}

$("invite-form").addEventListener("submit", async (submitted) => {
  submitted.preventDefault();
  clearInviteError?.();
  clearInviteError = null;
  const role = document.querySelector("input[name=role]:checked")?.value ?? "timekeeper";
  const labelInput = $("invite-label");
  const label = labelInput.value.trim();
  const reply = await call("POST", api("/invitations"), { role, label });
  if (!reply.ok) {
    clearInviteError = markInvalid(labelInput, reply.data.error.message);
    return;
  }
  labelInput.value = "";
  const box = $("new-link");
  $("new-link-title").textContent = fill(t("new_link_for"), { label, role: roleName(reply.data.role ?? role) });
  $("new-link-url").value = reply.data.url;
  say($("copy-status"), "");
  box.hidden = false;
  $("new-link-url").focus();
  $("new-link-url").select();
  await refreshInvitations();
  refreshAudit();
});

$("copy-link").addEventListener("click", async () => {
  const input = $("new-link-url");
  let copied = false;
  try {
    await navigator.clipboard.writeText(input.value);
    copied = true;
  } catch {
    // No clipboard API on a plain-http address: the selection and the browser's copy command.
    input.select();
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
  }
  say($("copy-status"), copied ? t("copied") : t("copy_failed"), copied ? "ok" : "error");
});

// --- Recent actions, personal data, archive and delete ----------------------------------------

async function refreshAudit() {
  const reply = await call("GET", api("/audit?limit=50"));
  if (!reply.ok) return;
  const entries = reply.data.entries ?? [];
  const items = entries.map((entry) => {
    const item = el("li", "audit-entry");
    const when = el("time", "audit-when", momentText(entry.at_ms));
    when.dateTime = new Date(entry.at_ms).toISOString();
    const action = t(`action_${entry.action}`);
    item.append(when, " ");
    // The administrator's label says no more than the role's badge.
    if (entry.role !== "admin") {
      const who = el("span", "audit-who", entry.who);
      who.dir = "auto";
      item.append(who, " ");
    }
    item.append(el("span", "badge role-badge", roleName(entry.role)), " ",
      el("span", "audit-action", action === `action_${entry.action}` ? entry.action : action));
    return item;
  });
  $("audit").replaceChildren(...items);
  $("no-audit").hidden = items.length > 0;
}

$("erase-names").addEventListener("click", async () => {
  if (!(await confirmAction(t("confirm_erase"), t("erase_yes")))) return;
  const reply = await call("POST", api("/erase-names"));
  if (!reply.ok) {
    say($("erase-status"), reply.data.error.message, "error");
    return;
  }
  say($("erase-status"), tn("erased", reply.data.erased ?? 0), "ok");
  refreshAudit();
});

/** Archive or Unarchive, as the events list (the administrator's) says the event is now. */
async function showArchived() {
  const button = $("archive");
  if (!button) return;
  const reply = await call("GET", "/api/events");
  const listed = reply.ok ? (reply.data.events ?? []).find((event) => event.code === state.code) : null;
  if (listed) state.archived = listed.status === "archived";
  button.textContent = state.archived ? t("unarchive") : t("archive");
}

$("archive")?.addEventListener("click", async () => {
  const reply = await call("POST", api("/archive"), { archived: !state.archived });
  if (!reply.ok) {
    say($("lifecycle-status"), reply.data.error.message, "error");
    return;
  }
  state.archived = Boolean(reply.data.archived ?? !state.archived);
  $("archive").textContent = state.archived ? t("unarchive") : t("archive");
  say($("lifecycle-status"), t(state.archived ? "archived_now" : "unarchived_now"), "ok");
  refreshAudit();
});

$("delete")?.addEventListener("click", async () => {
  const title = $("title").value.trim() || state.code;
  const question = fill(t("confirm_delete"), { title, code: state.code });
  if (!(await confirmAction(question, t("delete_yes")))) return;
  const reply = await call("DELETE", api());
  if (!reply.ok) {
    say($("lifecycle-status"), reply.data.error.message, "error");
    return;
  }
  window.location.assign("/admin");
});

function refreshSide() {
  if (!state.code) return;
  showArchived();
  refreshInvitations();
  refreshAudit();
}

// --- Start -------------------------------------------------------------------------------------

if (state.code) {
  load().then((ok) => { if (ok) refreshSide(); });
} else {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  show({
    language: $("language").value || pageLanguage() || "en",
    timezone: document.querySelector(`#zone-names option[value="${CSS.escape(zone ?? "")}"]`) ? zone : "UTC",
    premoderation: true,
    segments: [{}],
  });
  state.loaded = {};
}
