// The administrator's list of events (/admin), grouped as the server says: live now, upcoming,
// past, archived. Each row is kept per event code and patched in place, so a duplicate form
// being typed in, or the focus on a row's button, survives the list being read again after
// every action. Creating, importing, duplicating, archiving and deleting go through the API.
import { markLanguage, patchChildren, t, tn } from "./connection.js";
import { call, confirmAction, eventWhen, fill, markInvalid, say } from "./workspace-api.js";

const GROUPS = ["live", "upcoming", "past", "archived"];
const rows = new Map();  // event code -> its <li>
const template = document.getElementById("event-row");
const status = document.getElementById("status");
const loading = document.getElementById("loading");
let latest = new Map();  // event code -> the event as the list last gave it

async function refresh() {
  const reply = await call("GET", "/api/events");
  loading.hidden = true;
  if (!reply.ok) {
    say(status, reply.data.error.message, "error");
    return false;
  }
  const list = Array.isArray(reply.data) ? reply.data : reply.data.events ?? [];
  render(list);
  return true;
}

// Upcoming soonest first; the others most recent first.
function order(group, a, b) {
  const when = (e) => `${e.date || ""} ${e.start || ""}`;
  const sign = group === "upcoming" ? 1 : -1;
  return sign * when(a).localeCompare(when(b)) || a.code.localeCompare(b.code);
}

function render(list) {
  latest = new Map(list.map((event) => [event.code, event]));
  const active = document.activeElement;
  for (const group of GROUPS) {
    const events = list.filter((event) => (event.status ?? "upcoming") === group)
      .sort((a, b) => order(group, a, b));
    const holder = document.querySelector(`ul[data-group="${group}"]`);
    patchChildren(holder, events.map(rowFor));
    document.querySelector(`[data-count="${group}"]`).textContent = events.length || "";
    document.querySelector(`[data-empty="${group}"]`).hidden = events.length > 0;
  }
  for (const [code, row] of rows) {
    if (!latest.has(code)) {
      row.remove();
      rows.delete(code);
    }
  }
  // A row that moved to another group (archived) was taken out and put back: its button keeps
  // the focus.
  if (active?.isConnected && document.activeElement !== active) active.focus();
}

function rowFor(event) {
  let row = rows.get(event.code);
  if (!row) {
    row = template.content.firstElementChild.cloneNode(true);
    row.dataset.code = event.code;
    setUpRow(row, event.code);
    rows.set(event.code, row);
  }
  const title = row.querySelector(".event-title");
  title.textContent = event.title;
  markLanguage(title, event.language);
  row.querySelector(".event-code").textContent = event.code;
  row.querySelector(".event-when").textContent = eventWhen(event.date, event.start, event.timezone);
  row.querySelector(".event-count").textContent =
    event.questions == null ? "" : tn("questions_count", event.questions);
  const archived = event.status === "archived";
  row.querySelector("[data-action=archive]").textContent = archived ? t("unarchive") : t("archive");
  return row;
}

function setUpRow(row, code) {
  const titleId = `title-${code}`;
  row.querySelector(".event-title").id = titleId;
  const links = {
    edit: `/admin/events/${encodeURIComponent(code)}/edit`,
    dashboard: `/moderate/${encodeURIComponent(code)}`,
    attendee: `/e/${encodeURIComponent(code)}`,
  };
  for (const [name, href] of Object.entries(links)) row.querySelector(`[data-link=${name}]`).href = href;
  // Every row has the same buttons: each is described by its event's title.
  for (const control of row.querySelectorAll(".event-actions :is(a, button)")) {
    control.setAttribute("aria-describedby", titleId);
  }
  const form = row.querySelector(".duplicate-form");
  const toggle = row.querySelector("[data-action=duplicate]");
  toggle.setAttribute("aria-controls", form.id = `duplicate-${code}`);
  for (const input of form.querySelectorAll("input")) {
    input.id = `duplicate-${code}-${input.dataset.field}`;
    form.querySelector(`label[data-for=${input.dataset.field}]`).htmlFor = input.id;
  }
  const hint = form.querySelector("[data-hint=code]");
  hint.id = `duplicate-${code}-hint`;
  form.querySelector("[data-field=code]").setAttribute("aria-describedby", hint.id);

  toggle.addEventListener("click", () => openDuplicate(row, code, form.hidden));
  form.querySelector("[data-action=cancel-duplicate]").addEventListener("click", () => openDuplicate(row, code, false));
  form.addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    duplicate(row, code);
  });
  row.querySelector("[data-action=archive]").addEventListener("click", () => archive(code));
  row.querySelector("[data-action=delete]").addEventListener("click", () => remove(code));
}

function openDuplicate(row, code, open) {
  const form = row.querySelector(".duplicate-form");
  const toggle = row.querySelector("[data-action=duplicate]");
  form.hidden = !open;
  toggle.setAttribute("aria-expanded", String(open));
  if (open) {
    form.querySelector(".duplicate-title").textContent = fill(t("duplicate_of"), { title: latest.get(code)?.title ?? code });
    form.querySelector("[data-field=code]").focus();
  } else {
    toggle.focus();
  }
}

let clearDuplicateError = null;
async function duplicate(row, code) {
  const form = row.querySelector(".duplicate-form");
  clearDuplicateError?.();
  clearDuplicateError = null;
  const newCode = form.querySelector("[data-field=code]").value.trim();
  const newTitle = form.querySelector("[data-field=title]").value.trim();
  const reply = await call("POST", "/api/events", { duplicate: code, code: newCode, title: newTitle });
  if (!reply.ok) {
    const error = reply.data.error;
    const field = error.code === "event_exists" ? "code" : String(error.field ?? "").split(/[.[]/)[0];
    const input = form.querySelector(`[data-field="${field}"]`) ?? form.querySelector("[data-field=code]");
    clearDuplicateError = markInvalid(input, error.message);
    return;
  }
  form.reset();
  form.hidden = true;
  row.querySelector("[data-action=duplicate]").setAttribute("aria-expanded", "false");
  const made = reply.data.code ?? newCode;
  say(status, fill(t("duplicated"), { title: newTitle, code: made }), "ok");
  await refresh();
  (rows.get(made)?.querySelector("[data-link=edit]") ?? row.querySelector("[data-action=duplicate]")).focus();
}

async function archive(code) {
  const event = latest.get(code);
  const archived = event?.status === "archived";
  const reply = await call("POST", `/api/events/${encodeURIComponent(code)}/archive`, { archived: !archived });
  if (!reply.ok) {
    say(status, reply.data.error.message, "error");
    return;
  }
  say(status, fill(t(archived ? "unarchived_done" : "archived_done"), { title: event?.title ?? code }), "ok");
  await refresh();
}

async function remove(code) {
  const event = latest.get(code);
  const title = event?.title ?? code;
  const question = fill(t("confirm_delete"), { title, code });
  if (!(await confirmAction(question, t("delete_yes")))) return;
  const row = rows.get(code);
  const next = row?.nextElementSibling ?? row?.previousElementSibling;
  const reply = await call("DELETE", `/api/events/${encodeURIComponent(code)}`);
  if (!reply.ok) {
    say(status, reply.data.error.message, "error");
    return;
  }
  say(status, fill(t("deleted"), { title }), "ok");
  await refresh();
  // The focus goes to the next event's first link, else to the group's heading.
  const heading = row?.closest("section")?.querySelector("h2");
  if (next?.isConnected) next.querySelector("a").focus();
  else if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

// Import: the file's text as it is, under application/toml; a refusal names the place in the
// file (segments[2].minutes) and says what is wrong there.
const importForm = document.getElementById("import-form");
const fileInput = document.getElementById("import-file");
const importError = document.getElementById("import-error");

function importFailed(message) {
  importError.textContent = message;
  importError.hidden = false;
  fileInput.setAttribute("aria-invalid", "true");
  fileInput.focus();
}

importForm.addEventListener("submit", async (submitted) => {
  submitted.preventDefault();
  importError.hidden = true;
  fileInput.removeAttribute("aria-invalid");
  const [file] = fileInput.files;
  if (!file) {
    importFailed(t("import_choose"));
    return;
  }
  say(status, t("importing"));
  const reply = await call("POST", "/api/events", await file.text(), { contentType: "application/toml", raw: true });
  if (!reply.ok) {
    say(status, "");
    const { field, message } = reply.data.error;
    importFailed(field && !message.includes(field) ? fill(t("at_place"), { place: field, message }) : message);
    return;
  }
  importForm.reset();
  const made = reply.data;
  const title = made.event?.title ?? made.file?.title ?? made.code;
  say(status, fill(t("imported"), { title: typeof title === "string" ? title : made.code, code: made.code }), "ok");
  await refresh();
  rows.get(made.code)?.querySelector("[data-link=edit]").focus();
});
fileInput.addEventListener("change", () => {
  importError.hidden = true;
  fileInput.removeAttribute("aria-invalid");
});

refresh();
