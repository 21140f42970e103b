// Shared by every page: the Socket.IO connection, acknowledgements with a deadline, the
// translated message table, ids and small DOM helpers. User-written text only ever goes
// through textContent.
import { io } from "/static/vendor/socket.io-client-4.8.4/socket.io.esm.min.js";

const messages = JSON.parse(document.getElementById("messages")?.textContent || "{}");

/** The translated string for `key` (the key itself if the table lacks it). */
export function t(key) {
  return messages[key] ?? key;
}

/** A random identifier; getRandomValues works on plain http too, unlike randomUUID. */
export function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Open a Socket.IO connection that reconnects forever with jittered backoff. */
export function connect(namespace, auth) {
  return io(namespace, {
    auth,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
    transports: ["websocket", "polling"],
  });
}

/** Emit and resolve with the acknowledgement; reject after `timeoutMs` without one. */
export function request(socket, event, data, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    socket.timeout(timeoutMs).emit(event, data, (err, reply) => {
      if (err) reject(new Error("timeout"));
      else resolve(reply);
    });
  });
}

/** Keep a status element in step with the connection. */
export function showConnection(socket, element) {
  const set = (state) => {
    element.dataset.state = state;
    element.textContent = t(state);
  };
  set("connecting");
  socket.on("connect", () => set("online"));
  socket.on("disconnect", () => set("offline"));
  socket.on("connect_error", () => set("offline"));
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
