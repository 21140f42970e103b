// Shared by every page: the Socket.IO connection that comes back by itself from every fault,
// acknowledgements with a deadline, retries with backoff, the translated message table, ids and
// small DOM helpers. User-written text only ever goes through textContent.
// Relative, so the client is fetched under the same static version as this module
// (moderator/web/delivery.py).
import { io } from "../vendor/socket.io-client-4.8.4/socket.io.esm.min.js";
import { pageLang, pageLanguage } from "./locale.js";

const messages = JSON.parse(document.getElementById("messages")?.textContent || "{}");

const pluralRules = new Intl.PluralRules(pageLang());
const numbers = new Intl.NumberFormat(pageLang());

/** The translated string for `key` (the key itself if the table lacks it). */
export function t(key) {
  const text = messages[key] ?? key;
  return typeof text === "string" ? text : tn(key, 0);
}

/** The translated string for `key` counting `n`: the table gives one text per plural category
 *  of the page's language (Russian has three, Arabic six), `{n}` replaced by `n` written in it. */
export function tn(key, n) {
  const forms = messages[key];
  if (forms == null) return key;
  const text = typeof forms === "string" ? forms : forms[pluralRules.select(n)] ?? forms.other;
  return text.replace("{n}", numbers.format(n));
}

/** A random identifier; getRandomValues works on plain http too, unlike randomUUID. */
export function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Exponential backoff with jitter: `min` doubling up to `max`, each delay drawn between half
 *  and all of it, so that a room of pages refused together does not come back together. */
export class Backoff {
  constructor(min = 1000, max = 30_000) {
    this.min = min;
    this.max = max;
    this.attempts = 0;
  }

  next() {
    const ceiling = Math.min(this.max, this.min * 2 ** this.attempts);
    this.attempts += 1;
    return Math.round(ceiling * (0.5 + Math.random() / 2));
  }

  reset() {
    this.attempts = 0;
  }
}

// Error codes that mean "not now": the server could not do it (its database is unreachable,
// it failed, it is busy, it asks to wait) or no answer came. The same request goes again later.
const TRANSIENT = new Set(["unavailable", "internal", "busy", "vote_failed", "rate_limited",
  "timeout", "offline", "too_many_attendees"]);

/** Whether an error reply (`{code}`), an `Error` from `request`, or a code is worth retrying. */
export function isTransient(error) {
  if (!error) return false;
  const code = typeof error === "string" ? error : error.code ?? error.data?.code ?? error.message;
  return TRANSIENT.has(code);
}

// A refused connection is tried again after 0.5 s doubling to 3 s: soon enough that a page is
// back within seconds of the server's database, spread enough not to storm it.
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 3000;
// How long a connection attempt may go without any sign of progress (the transport opening,
// a refusal, a retry of the client's own) before it is abandoned and started again.
const ATTEMPT_TIMEOUT_MS = 15_000;
const WATCHDOG_MS = 1000;

/** How long the server asked to wait before sending again (a `rate_limited` refusal's
 *  `retry_after`, in seconds), in milliseconds with up to a second of jitter, so that a room
 *  refused together does not come back at the same instant; 0 when it did not say. */
export function retryAfterMs(error) {
  const seconds = Number(error?.retry_after ?? error?.data?.retry_after);
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(seconds, 3600) * 1000 + Math.round(Math.random() * 1000);
}

/** Open a Socket.IO connection that comes back by itself, whatever happened to it.
 *
 *  socket.io-client reconnects by itself after a lost transport, but not after the server
 *  closed the connection ("io server disconnect") nor after the server refused it (a
 *  `connect_error` from the connect handler: the socket is then inactive). Both are retried
 *  here with backoff, and an attempt that gets no answer at all is abandoned and started again.
 *  `options.refused(error)` may return true to stop retrying a refusal (the dashboard reloads
 *  on `unauthorized`); `socket.stayClosed = true` stops retrying a server's disconnect (logout).
 */
export function connect(namespace, auth, { refused } = {}) {
  const socket = io(namespace, {
    auth,
    // The page's language: the server writes this connection's refusals in it.
    query: { lang: pageLanguage() || "en" },
    reconnectionDelay: RECONNECT_MIN_MS,
    reconnectionDelayMax: RECONNECT_MAX_MS,
    randomizationFactor: 0.5,
    timeout: 10_000,  // bounds the transport's opening; then the manager tries again
    transports: ["websocket", "polling"],
  });
  const backoff = new Backoff(RECONNECT_MIN_MS, RECONNECT_MAX_MS);
  let retry = null;
  let progress = performance.now();
  const moved = () => { progress = performance.now(); };

  function again(delay) {
    clearTimeout(retry);
    retry = setTimeout(() => {
      retry = null;
      if (socket.connected || socket.stayClosed) return;
      moved();
      // disconnect() first: it drops whatever is left of the previous attempt (a transport
      // that opened but whose connect got no answer), then connect() starts afresh.
      socket.disconnect();
      socket.connect();
    }, delay);
  }

  socket.on("connect", () => {
    moved();
    backoff.reset();
    clearTimeout(retry);
    retry = null;
    socket.lastError = null;
  });
  socket.on("connect_error", (error) => {
    moved();
    socket.lastError = error.data?.code || error.message;
    if (socket.active) return;  // a transport error: the manager retries by itself
    if (refused?.(error)) return;
    // Too many connection attempts: not before the server says, however short the backoff.
    again(Math.max(backoff.next(), retryAfterMs(error.data)));
  });
  socket.on("disconnect", (reason) => {
    moved();
    // "io client disconnect" is this page's own doing (a retry or a reload).
    if (socket.active || reason === "io client disconnect" || socket.stayClosed) return;
    again(backoff.next());
  });
  for (const name of ["open", "reconnect_attempt", "reconnect_error", "error"]) {
    socket.io.on(name, moved);
  }
  setInterval(() => {
    if (socket.connected || retry || socket.stayClosed) {
      moved();
      return;
    }
    if (performance.now() - progress > ATTEMPT_TIMEOUT_MS) {
      socket.lastError = "timeout";
      again(0);
    }
  }, WATCHDOG_MS);
  return socket;
}

/** Emit and resolve with the acknowledgement; reject after `timeoutMs` without one, or at once
 *  when offline (a message is then not queued to go out late). */
export function request(socket, event, data, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    if (!socket.connected) {
      reject(new Error("offline"));
      return;
    }
    socket.timeout(timeoutMs).emit(event, data, (err, reply) => {
      if (err) reject(new Error("timeout"));
      else resolve(reply);
    });
  });
}

// The longest wait a server's `resync` hint may ask for before the page asks for its state.
const RESYNC_SPREAD_MAX_MS = 10_000;

/** Run `task` after every (re)connection until it completes, retrying it with backoff while
 *  the connection lasts: `task` throws (or rejects) when it should be tried again. A new
 *  connection starts it over; `run()` starts it now (if connected). Returns `{ run }`.
 *  The server's `resync` hint (`{spread_ms}`: it may have missed messages for this page, its
 *  message queue between processes was away) starts it over too, at a moment drawn within
 *  `spread_ms` so that a full room does not ask at the same instant. */
export function everyConnection(socket, task, { min = 1000, max = 10_000 } = {}) {
  let generation = 0;
  let timer = null;
  let hinted = null;
  const backoff = new Backoff(min, max);

  async function attempt(mine) {
    if (mine !== generation || !socket.connected) return;
    try {
      await task();
      return;
    } catch {
      if (mine !== generation || !socket.connected) return;
    }
    timer = setTimeout(() => attempt(mine), backoff.next());
  }

  function run() {
    generation += 1;
    clearTimeout(timer);
    backoff.reset();
    attempt(generation);
  }

  socket.on("connect", run);
  socket.on("disconnect", () => { generation += 1; clearTimeout(timer); clearTimeout(hinted); });
  socket.on("resync", (hint) => {
    const spread = Math.min(Math.max(Number(hint?.spread_ms) || 0, 0), RESYNC_SPREAD_MAX_MS);
    clearTimeout(hinted);
    hinted = setTimeout(run, Math.random() * spread);
  });
  return { run };
}

/** The acknowledgement of `event`, or a thrown error when it is a transient refusal or none
 *  came (for `everyConnection`); a final refusal is returned as it is. */
export async function requestOrThrow(socket, event, data, timeoutMs = 10000) {
  const reply = await request(socket, event, data, timeoutMs);
  if (reply?.error && isTransient(reply.error)) {
    const error = new Error(reply.error.code);
    error.reply = reply;
    throw error;
  }
  return reply;
}

/** Keep a status element in step with the connection: connecting, online, or offline (with
 *  the reason when the server said it is unavailable). */
export function showConnection(socket, element) {
  if (!element) return;
  const set = (state, text = t(state)) => {
    element.dataset.state = state;
    if (element.textContent !== text) element.textContent = text;
  };
  set("connecting");
  socket.on("connect", () => set("online"));
  socket.on("disconnect", () => set("offline"));
  socket.on("connect_error", (error) => {
    const code = error.data?.code;
    if (code === "rate_limited") set("offline", error.data.message || t("offline"));
    else set("offline", code === "unavailable" || code === "internal" ? t("unavailable") : t("offline"));
  });
}

/** Put `nodes` into `container` in this order, moving or inserting only what is out of place
 *  and removing the children `nodes` does not hold: the nodes that stay keep their focus, open
 *  panels and typed text. */
export function patchChildren(container, nodes) {
  const wanted = new Set(nodes);
  for (const child of [...container.children]) if (!wanted.has(child)) child.remove();
  let cursor = container.firstElementChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(node, cursor);
  }
}

/** The newest version seen of each question, kept after it leaves a list (withdrawn, taken off
 *  screen), so that a message older than what the page shows cannot bring back its state. */
export class Versions {
  #latest = new Map();

  /** Whether a message about question `id` at `version` is not older than what the page has
   *  (remembering it); a message without a version always is. */
  current(id, version) {
    if (version == null) return true;
    if ((this.#latest.get(id) ?? -1) > version) return false;
    this.#latest.set(id, version);
    return true;
  }
}

/** Create an element with a class and text (never HTML). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** Themes of the event, keyed by theme key, from the JSON the page embeds. */
export function themesByKey() {
  const themes = JSON.parse(document.getElementById("themes").textContent);
  return new Map(themes.map((theme) => [theme.key, theme]));
}

/** "ii. Challenges and Solutions" or "General". */
export function themeName(theme) {
  if (!theme) return "";
  return theme.label ? `${theme.label}. ${theme.title}` : theme.title;
}

export { pageLanguage };

/** Mark `node` as being in `lang` where that is not the page's language: text from the event
 *  file with no translation into the page's language (themes carry it as `title_lang`). */
export function markLanguage(node, lang) {
  if (lang && lang !== pageLanguage()) node.lang = lang;
  else node.removeAttribute("lang");
  return node;
}

/** A segment's title from the timer state, in the page's language where the event file gives
 *  it (`titles`), else in the event's (`timer.language`): [text, its language]. */
export function segmentTitle(segment, eventLanguage) {
  const lang = pageLanguage();
  const translated = segment?.titles?.[lang];
  return translated ? [translated, lang] : [segment?.title ?? "", eventLanguage];
}

/** A theme of the event's public view (an `event` message), titled as a page in this language
 *  shows it: its `title` and guiding `questions` in the page's language where the event file
 *  gives them, else in the event's, with `title_lang` (each question's `lang`) saying which (as
 *  the server's own pages give it). */
export function localizedTheme(theme, eventLanguage) {
  const lang = pageLanguage();
  const translated = theme.title_translations?.[lang];
  // Its guiding questions as the server's pages give them: `{text, lang}` each.
  const others = theme.question_translations || [];
  const questions = (theme.questions || []).map((text, index) => (
    typeof text !== "string" ? text
      : others[index]?.[lang] ? { text: others[index][lang], lang } : { text, lang: eventLanguage }));
  return translated
    ? { ...theme, questions, title: translated, title_lang: lang }
    : { ...theme, questions, title_lang: eventLanguage };
}

// The language switcher (templates/_languages.html) closes as a menu does: on Escape, back on its
// button, and on a click anywhere else.
for (const switcher of document.querySelectorAll("details.languages")) {
  switcher.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !switcher.open) return;
    switcher.open = false;
    switcher.querySelector("summary")?.focus();
  });
  document.addEventListener("click", (event) => {
    if (switcher.open && !switcher.contains(event.target)) switcher.open = false;
  });
  // The list opens toward the inline end of its button; where that would cross the window's
  // edge (the dashboard's button sits near the inline end), it opens toward the inline start.
  switcher.addEventListener("toggle", () => {
    if (!switcher.open) return;
    delete switcher.dataset.align;
    const list = switcher.querySelector("ul")?.getBoundingClientRect();
    if (list && (list.left < 0 || list.right > document.documentElement.clientWidth)) {
      switcher.dataset.align = "end";
    }
  });
}
