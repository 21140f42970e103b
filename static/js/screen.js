// The room screen: the question on screen, live. (The agenda clock joins it later.)
import { connect, el, request, showConnection, themeName, themesByKey } from "./connection.js";

const app = document.getElementById("app");
const themes = themesByKey();
const liveBox = document.getElementById("live");
const socket = connect("/", { event: app.dataset.event });
showConnection(socket, document.getElementById("connection"));
const published = new Map();

function render() {
  const live = [...published.values()].find((q) => q.status === "live");
  if (!live) return liveBox.replaceChildren();
  const who = [live.name, live.affiliation].filter(Boolean).join(", ");
  liveBox.replaceChildren(el("p", "theme-tag", themeName(themes.get(live.theme))),
                          el("blockquote", "live-text", live.text),
                          el("p", "who", who));
}

socket.on("connect", async () => {
  try {
    const reply = await request(socket, "sync", {});
    published.clear();
    for (const q of reply.questions || []) published.set(q.id, q);
    render();
  } catch { /* resynced on the next reconnect */ }
});
socket.on("question", (q) => { published.set(q.id, q); render(); });
socket.on("question_removed", ({ id }) => { published.delete(id); render(); });
