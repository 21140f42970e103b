// Shared by the organiser's workspace pages (the events list and the event editor): calls to the
// JSON API with the session's cookie, the confirmation dialog, a field's refusal shown beside
// it, and the event's date and start written in the page's language. Every write carries the
// session's CSRF token; every refusal arrives as {error: {code, message, field?}}, its message
// already in the page's language.
import { el, t } from "./connection.js";
import { pageLang } from "./locale.js";

const csrf = document.querySelector("[data-csrf]")?.dataset.csrf ?? "";

/** Call the API. Resolves `{ok, status, data}`, never rejects: a refusal's `data.error` comes
 *  from the server, and a network failure is `{status: 0}` with an `offline` error, so that a
 *  page says what happened and keeps what the person typed. `raw` sends `body` as it is, under
 *  `contentType` (an imported file). */
export async function call(method, path, body, { contentType = "application/json", raw = false } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrf;
  if (body !== undefined) headers["Content-Type"] = contentType;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    return { ok: false, status: 0, data: { error: { code: "offline", message: t("offline") } } };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok && !data?.error) {
    data = { error: { code: "failed", message: t("failed_status").replace("{status}", response.status) } };
  }
  return { ok: response.ok, status: response.status, data: data ?? {} };
}

/** `template` with each `{name}` replaced by `values[name]` (as text, never HTML). A text is
 *  isolated (U+2068...U+2069): a title in Arabic keeps an English sentence around it in order,
 *  and the other way round. */
export function fill(template, values) {
  const value = (name) => (typeof values[name] === "number" ? String(values[name]) : `\u2068${values[name]}\u2069`);
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? value(name) : whole));
}

/** Ask `question` in the page's modal dialog; resolves true when the person answers `yes` (the
 *  button's text). Focus starts on Cancel, the harmless answer, and goes back where it was. */
export function confirmAction(question, yes) {
  const dialog = document.getElementById("confirm-dialog");
  document.getElementById("confirm-text").textContent = question;
  document.getElementById("confirm-yes").textContent = yes;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      if (opener?.isConnected) opener.focus();
      resolve(dialog.returnValue === "yes");
    }, { once: true });
    dialog.returnValue = "";
    dialog.showModal();
    document.getElementById("confirm-no").focus();
  });
}

/** Set `node`'s text and kind ("ok", "error" or none) for a status line. */
export function say(node, text, kind = "") {
  node.textContent = text;
  if (kind) node.dataset.kind = kind;
  else delete node.dataset.kind;
}

/** Mark `input` as refused with `message`: aria-invalid, the message just after it and named by
 *  its aria-describedby, and the focus on it. Returns a function that takes the mark away. */
export function markInvalid(input, message) {
  const note = el("p", "field-error", message);
  note.id = `${input.id || "field"}-error`;
  note.dir = "auto";
  const described = input.getAttribute("aria-describedby");
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", described ? `${note.id} ${described}` : note.id);
  input.after(note);
  input.focus();
  return () => {
    note.remove();
    input.removeAttribute("aria-invalid");
    if (described) input.setAttribute("aria-describedby", described);
    else input.removeAttribute("aria-describedby");
  };
}

// How far `zone`'s clock is ahead of UTC at `instant`, in milliseconds.
function zoneOffsetMs(instant, zone) {
  const parts = {};
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  for (const part of format.formatToParts(instant)) parts[part.type] = Number(part.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - instant;
}

/** When an event is, from its file's `date` ("2025-05-28"), `start` ("08:15") and `timezone`,
 *  written in the page's language and in the event's zone, the zone named by its offset and
 *  its city: "Wednesday, May 28, 2025 · 8:15 AM GMT-4 (New York)". Empty without a date. */
export function eventWhen(date, start, zone) {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || "");
  if (!day) return "";
  const [year, month, dayOfMonth] = day.slice(1).map(Number);
  const time = /^(\d{2}):(\d{2})/.exec(start || "");
  try {
    if (!time) {
      const noon = Date.UTC(year, month - 1, dayOfMonth, 12);
      return new Intl.DateTimeFormat(pageLang(), { dateStyle: "full", timeZone: "UTC" }).format(noon);
    }
    // The instant the event's clock reads date and start: the wall time read as UTC, less the
    // zone's offset then (twice, for a start near a change of offset).
    const wall = Date.UTC(year, month - 1, dayOfMonth, Number(time[1]), Number(time[2]));
    let instant = wall - zoneOffsetMs(wall, zone);
    instant = wall - zoneOffsetMs(instant, zone);
    const dateText = new Intl.DateTimeFormat(pageLang(), { dateStyle: "full", timeZone: zone }).format(instant);
    const timeText = new Intl.DateTimeFormat(pageLang(), {
      hour: "numeric", minute: "2-digit", timeZone: zone, timeZoneName: "shortOffset",
    }).format(instant);
    // The city isolated (U+2068...U+2069), so a Latin name keeps its brackets in Arabic.
    const city = zone.includes("/") ? ` (\u2068${zone.split("/").pop().replaceAll("_", " ")}\u2069)` : "";
    return `${dateText} · ${timeText}${city}`;
  } catch {
    return `${date} ${start || ""} ${zone || ""}`.trim();  // a zone this browser does not know
  }
}

/** A moment (milliseconds) with its date, in the page's language and the viewer's zone. */
export function momentText(ms) {
  return new Intl.DateTimeFormat(pageLang(), { dateStyle: "medium", timeStyle: "short" }).format(ms);
}
