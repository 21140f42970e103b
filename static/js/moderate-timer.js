// The moderator dashboard's timer panel: the countdown as the room sees it, the controls, the
// schedule with its drift, messages to the speakers, and the list of screens with their offsets.
import { el, request, t } from "./connection.js";
import { ServerTime } from "./server-time.js";
import { Countdown, remainingAt } from "./timer.js";

const STALE_MS = 75_000;       // screens report every 30 s
const IMPRECISE_RTT_MS = 100;  // the offset is then known to +-50 ms at best

export function setupTimer(socket, notify) {
  const panel = document.getElementById("clock-panel");
  const serverTime = new ServerTime(socket, { onUpdate: () => countdown.render() });
  const countdown = new Countdown(serverTime, document.getElementById("clock-countdown"), panel, {
    onTick: (remaining) => renderDrift(remaining),
  });
  const toggle = document.getElementById("clock-toggle");
  const autoAdvance = document.getElementById("auto-advance");
  const blackout = document.getElementById("blackout");
  let timer = null;
  let screens = [];

  async function command(data) {
    try {
      const reply = await request(socket, "timer", data);
      if (reply.error) notify(`${t("failed")} ${reply.error.message}`);
      else showTimer(reply);
    } catch {
      notify(`${t("failed")} ${t("offline")}`);
    }
  }

  async function display(data) {
    try {
      const reply = await request(socket, "display", data);
      if (reply.error) notify(`${t("failed")} ${reply.error.message}`);
      else showDisplay(reply);
      return !reply.error;
    } catch {
      notify(`${t("failed")} ${t("offline")}`);
      return false;
    }
  }

  function toggleTimer() {
    if (!timer) return;
    command({ action: timer.state === "running" ? "pause" : timer.state === "paused" ? "resume" : "start" });
  }

  const timeFormat = () => new Intl.DateTimeFormat([], {
    hour: "2-digit", minute: "2-digit", timeZone: timer?.timezone || undefined,
  });

  function renderDrift(remaining) {
    if (!timer) return;
    // Recomputed every second: overtime and pauses push the projected end while nothing is sent.
    const currentEnd = (at, left) => at + (timer.state === "idle" ? timer.duration_ms : Math.max(left, 0));
    const rest = timer.projected_end_ms - currentEnd(timer.server_now_ms, timer.remaining_ms);
    const projected = currentEnd(serverTime.now(), remaining) + rest;
    const drift = projected - timer.planned_end_ms;
    const minutes = Math.round(Math.abs(drift) / 60_000);
    const status = minutes === 0 ? t("on_time") : t(drift > 0 ? "late" : "early").replace("{n}", minutes);
    const format = timeFormat();
    const ends = t("projected_end").replace("{time}", format.format(projected))
      .replace("{planned}", format.format(timer.planned_end_ms));
    const line = `${t(`state_${timer.state}`)} · ${status} · ${ends}`;
    const node = document.getElementById("clock-drift");
    if (node.textContent !== line) node.textContent = line;
    node.dataset.late = String(drift > 60_000);
  }

  function showTimer(next) {
    if (timer && next.version < timer.version) return;  // a late message about an older state
    timer = next;
    countdown.update(timer);
    toggle.textContent = t(timer.state === "running" ? "pause" : timer.state === "paused" ? "resume" : "start");
    autoAdvance.checked = timer.auto_advance;
    document.getElementById("clock-segment").textContent = timer.segment.title;
    document.getElementById("clock-segment-count").textContent = `${timer.segment_index + 1} / ${timer.segment_count}`;
    const format = timeFormat();
    const items = timer.schedule.map((segment, index) => {
      const button = el("button", "segment", null);
      button.type = "button";
      button.append(el("span", "seg-name", segment.title),
        el("span", "seg-times", `${t("planned")} ${format.format(segment.planned_start_ms)}`
          + (segment.actual_start_ms ? ` · ${t("started")} ${format.format(segment.actual_start_ms)}` : "")),
        el("span", "seg-length", `${Math.round(segment.duration_ms / 60000)} min`));
      if (index === timer.segment_index) button.setAttribute("aria-current", "step");
      button.addEventListener("click", () => command({ action: "goto", index }));
      const item = el("li");
      item.append(button);
      return item;
    });
    document.getElementById("segments").replaceChildren(...items);
  }

  function showDisplay(state) {
    blackout.checked = state.blackout;
    document.getElementById("current-message").textContent = state.message || t("no_message");
  }

  async function screenCommand(data) {
    try {
      const reply = await request(socket, "screens", data);
      if (reply.error) notify(`${t("failed")} ${reply.error.message}`);
      return reply.error ? null : reply;
    } catch {
      notify(`${t("failed")} ${t("offline")}`);
      return null;
    }
  }

  document.getElementById("pair-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const codeInput = document.getElementById("pair-code");
    const labelInput = document.getElementById("pair-label");
    const reply = await screenCommand({ action: "pair", code: codeInput.value, label: labelInput.value });
    if (reply) {
      // A function, not the name itself: "$&" in a name is not a replacement pattern.
      notify(t("screen_paired").replace("{name}", () => reply.screen.label));
      codeInput.value = "";
      labelInput.value = "";
    }
  });

  function renderScreens() {
    const now = serverTime.now();
    const rows = screens.map((screen) => {
      const row = el("tr");
      const age = now - screen.last_seen_ms;
      const stale = !screen.connected || age > STALE_MS;
      const imprecise = screen.rtt_ms != null && screen.rtt_ms > IMPRECISE_RTT_MS;
      row.classList.toggle("stale", stale);
      row.classList.toggle("imprecise", imprecise);
      const name = el("th", null, `${screen.label} (${screen.kind})`);
      name.scope = "row";
      const offset = screen.offset_ms == null ? "–" : `${screen.offset_ms > 0 ? "+" : ""}${Math.round(screen.offset_ms)} ms`;
      const rtt = screen.rtt_ms == null ? "–" : `${Math.round(screen.rtt_ms)} ms${imprecise ? ` (${t("imprecise")})` : ""}`;
      const contact = !screen.connected ? t("disconnected")
        : `${t("seconds_ago").replace("{n}", Math.max(0, Math.round(age / 1000)))}${stale ? ` (${t("stale")})` : ""}`;
      const actions = el("td", "screen-actions");
      const rename = el("button", null, t("rename"));
      rename.type = "button";
      rename.addEventListener("click", () => {
        const label = prompt(t("rename_prompt"), screen.label);
        if (label) screenCommand({ action: "rename", screen_id: screen.screen_id, label });
      });
      const remove = el("button", null, t("remove"));
      remove.type = "button";
      remove.addEventListener("click", () => screenCommand({ action: "remove", screen_id: screen.screen_id }));
      actions.append(rename, remove);
      row.append(name, el("td", null, offset), el("td", null, rtt), el("td", null, contact), actions);
      return row;
    });
    if (!rows.length) {
      const row = el("tr");
      const cell = el("td", "empty", t("no_screens"));
      cell.colSpan = 5;
      row.append(cell);
      rows.push(row);
    }
    document.getElementById("screens").replaceChildren(...rows);
  }

  toggle.addEventListener("click", toggleTimer);
  for (const button of panel.querySelectorAll("[data-timer]")) {
    button.addEventListener("click", () => {
      const data = { action: button.dataset.timer };
      if (button.dataset.seconds) data.seconds = Number(button.dataset.seconds);
      command(data);
    });
  }
  autoAdvance.addEventListener("change", () => command({ action: "auto_advance", enabled: autoAdvance.checked }));
  blackout.addEventListener("change", () => display({ action: "blackout", on: blackout.checked }));
  document.getElementById("flash").addEventListener("click", () => display({ action: "flash" }));
  document.getElementById("message-clear").addEventListener("click", () => display({ action: "clear" }));
  const messageText = document.getElementById("message-text");
  for (const preset of panel.querySelectorAll("[data-preset]")) {
    preset.addEventListener("click", () => display({ action: "message", text: preset.dataset.preset }));
  }
  document.getElementById("message-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await display({ action: "message", text: messageText.value })) messageText.value = "";
  });

  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === " " && !event.target.closest("button, a")) { toggleTimer(); event.preventDefault(); }
    else if (event.key === "+" || event.key === "=") command({ action: "adjust", seconds: 60 });
    else if (event.key === "-") command({ action: "adjust", seconds: -60 });
    else if (event.key === "]") command({ action: "next" });
    else if (event.key === "[") command({ action: "previous" });
  });

  socket.on("timer", showTimer);
  socket.on("display", showDisplay);
  socket.on("screens", (list) => { screens = list; renderScreens(); });
  setInterval(renderScreens, 5000);

  return {
    /** The timer part of the moderator's sync reply. */
    load(reply) {
      timer = null;
      showTimer(reply.timer);
      showDisplay(reply.display);
      screens = reply.screens || [];
      renderScreens();
    },
    remaining: () => (timer ? remainingAt(timer, serverTime.now()) : null),
  };
}

// The preview iframe renders the room screen at full HD and is scaled to fit its box.
const previewBox = document.querySelector(".preview-frame");
if (previewBox) {
  const fit = () => previewBox.style.setProperty("--preview-scale", String(previewBox.clientWidth / 1920));
  new ResizeObserver(fit).observe(previewBox);
  fit();
}
