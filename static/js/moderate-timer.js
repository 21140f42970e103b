// The moderator dashboard's timer panel: the countdown as the room sees it, the controls, the
// schedule with its drift, messages to the speakers, and the list of screens with their offsets.
//
// Nothing here is rebuilt while someone may be using it: the agenda's buttons and the screens'
// rows are keyed and patched in place. What changes the room's clock from a single key or from
// the agenda list (start/pause, previous, next, a jump) first asks, in a bar that takes the focus
// and gives up after a few seconds.
import { el, markLanguage, patchChildren, request, segmentTitle, t } from "./connection.js";
import { ago, duration, timeFormat as timeOfDay } from "./locale.js";
import { ServerTime } from "./server-time.js";
import { Countdown, remainingAt } from "./timer.js";

const STALE_MS = 75_000;       // screens report every 30 s
const IMPRECISE_RTT_MS = 100;  // the offset is then known to +-50 ms at best
const CONFIRM_MS = 8000;       // an unanswered question about the room's clock is a "no"

export function setupTimer(socket, notify) {
  const panel = document.getElementById("clock-panel");
  const serverTime = new ServerTime(socket, { onUpdate: () => countdown.render() });
  const countdown = new Countdown(serverTime, document.getElementById("clock-countdown"), panel, {
    onTick: (remaining) => renderDrift(remaining),
  });
  const toggle = document.getElementById("clock-toggle");
  const autoAdvance = document.getElementById("auto-advance");
  const blackout = document.getElementById("blackout");
  const confirmBar = document.getElementById("clock-confirm");
  const confirmYes = document.getElementById("clock-confirm-yes");
  let timer = null;
  let screens = [];
  let pending = null;  // {data, returnTo, timer}: the change the confirmation bar asks about

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

  function toggleAction() {
    return timer.state === "running" ? "pause" : timer.state === "paused" ? "resume" : "start";
  }

  function toggleTimer() {
    if (timer) command({ action: toggleAction() });
  }

  function ask(data, question) {
    // Nothing reaches the room until "yes": focus goes to it (Enter or Space answers), Escape,
    // "Cancel" or a few seconds without an answer put everything back as it was.
    cancel();
    const returnTo = document.activeElement;
    pending = { data, returnTo, timer: setTimeout(cancel, CONFIRM_MS) };
    document.getElementById("clock-confirm-text").textContent = question;
    confirmBar.hidden = false;
    confirmYes.focus();
  }

  function settle(send) {
    if (!pending) return;
    const { data, returnTo } = pending;
    clearTimeout(pending.timer);
    pending = null;
    const hadFocus = confirmBar.contains(document.activeElement);
    confirmBar.hidden = true;
    if (hadFocus) {
      // Back where it was; from <body>, to the clock bar itself (not its Start button, where a
      // second stray Space would start the clock unasked).
      if (returnTo?.isConnected && returnTo !== document.body) returnTo.focus();
      else panel.focus({ preventScroll: true });
    }
    if (send) command(data);
  }

  function cancel() {
    settle(false);
  }

  confirmYes.addEventListener("click", () => settle(true));
  document.getElementById("clock-confirm-no").addEventListener("click", cancel);
  confirmBar.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { cancel(); event.preventDefault(); }
  });

  function describe(data) {
    const segment = (index) => segmentTitle(timer.schedule[index], timer.language)[0];
    if (data.action === "goto") return t("confirm_goto").replace("{title}", segment(data.index));
    if (data.action === "next") return t("confirm_goto").replace("{title}", segment(timer.segment_index + 1));
    if (data.action === "previous") return t("confirm_goto").replace("{title}", segment(timer.segment_index - 1));
    return t(`confirm_${data.action}`);
  }

  function askFor(data) {
    if (timer) ask(data, describe(data));
  }

  // The schedule's times are the event's: in its zone, in the page's language, and with the zone
  // named once beside them as the server names it ("New York (UTC-4)").
  const app = document.getElementById("app");
  // What this dashboard's access allows (the server refuses the rest anyway).
  const rights = new Set((app.dataset.rights || "").split(" "));
  const mayPair = rights.has("pairing");
  const timeFormat = () => timeOfDay(timer?.timezone || app.dataset.timezone);

  function renderDrift(remaining) {
    if (!timer) return;
    // Recomputed every second: overtime and pauses push the projected end while nothing is sent.
    const currentEnd = (at, left) => at + (timer.state === "idle" ? timer.duration_ms : Math.max(left, 0));
    const rest = timer.projected_end_ms - currentEnd(timer.server_now_ms, timer.remaining_ms);
    const projected = currentEnd(serverTime.now(), remaining) + rest;
    const drift = projected - timer.planned_end_ms;
    const minutes = Math.round(Math.abs(drift) / 60_000);
    const status = minutes === 0 ? t("on_time")
      : t(drift > 0 ? "late" : "early").replace("{duration}", () => duration(minutes, "minute"));
    const format = timeFormat();
    const ends = t("projected_end").replace("{time}", () => format.format(projected))
      .replace("{planned}", () => format.format(timer.planned_end_ms));
    const zone = app.dataset.zoneName ? ` · ${app.dataset.zoneName}` : "";
    const line = `${t(`state_${timer.state}`)} · ${status} · ${ends}${zone}`;
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
    const [title, titleLang] = segmentTitle(timer.segment, timer.language);
    markLanguage(document.getElementById("clock-segment"), titleLang).textContent = title;
    document.getElementById("clock-segment-count").textContent = `${timer.segment_index + 1} / ${timer.segment_count}`;
    renderSegments();
  }

  // The agenda: one keyed item per segment, patched in place (a focused segment keeps focus).
  const segmentItems = [];
  function renderSegments() {
    const list = document.getElementById("segments");
    const format = timeFormat();
    timer.schedule.forEach((segment, index) => {
      let item = segmentItems[index];
      if (!item) {
        item = el("li");
        const button = el("button", "segment", null);
        button.type = "button";
        button.append(el("span", "seg-name"), el("span", "seg-times"), el("span", "seg-length"));
        button.querySelector(".seg-name").dir = "auto";
        button.disabled = !rights.has("clock");
        button.addEventListener("click", () => {
          if (index !== timer.segment_index) askFor({ action: "goto", index });
        });
        item.append(button);
        segmentItems[index] = item;
      }
      const button = item.firstChild;
      const [name, times, length] = button.children;
      const [title, titleLang] = segmentTitle(segment, timer.language);
      markLanguage(name, titleLang);
      const texts = [title,
        `${t("planned")} ${format.format(segment.planned_start_ms)}`
          + (segment.actual_start_ms ? ` · ${t("started")} ${format.format(segment.actual_start_ms)}` : ""),
        duration(Math.round(segment.duration_ms / 60000), "minute", { display: "short" })];
      [name, times, length].forEach((node, i) => { if (node.textContent !== texts[i]) node.textContent = texts[i]; });
      if (index === timer.segment_index) button.setAttribute("aria-current", "step");
      else button.removeAttribute("aria-current");
    });
    segmentItems.length = Math.min(segmentItems.length, timer.schedule.length);
    const wanted = segmentItems.slice(0, timer.schedule.length);
    if (wanted.some((item, i) => list.children[i] !== item) || list.children.length !== wanted.length) {
      list.replaceChildren(...wanted);
    }
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

  // One keyed row per screen, patched in place: a focused "Rename" keeps its focus through the
  // five-second refresh. Screens that left are folded into a closed list below the table.
  const screenRows = new Map();
  let emptyRow = null;

  function screenRow(screen) {
    let entry = screenRows.get(screen.screen_id);
    if (!entry) {
      const name = el("th");
      name.scope = "row";
      name.dir = "auto";
      const rename = el("button", null, t("rename"));
      rename.type = "button";
      rename.addEventListener("click", () => {
        const current = screens.find((s) => s.screen_id === screen.screen_id);
        const label = prompt(t("rename_prompt"), current?.label ?? "");
        if (label) screenCommand({ action: "rename", screen_id: screen.screen_id, label });
      });
      const remove = el("button", null, t("remove"));
      remove.type = "button";
      remove.addEventListener("click", () => screenCommand({ action: "remove", screen_id: screen.screen_id }));
      const actions = el("td", "screen-actions");
      if (mayPair) actions.append(rename, remove);
      const row = el("tr");
      row.append(name, el("td"), el("td"), el("td"), actions);
      const gone = el("li");
      gone.append(el("span", null), " ");
      const removeGone = el("button", null, t("remove"));
      removeGone.type = "button";
      removeGone.addEventListener("click", () => screenCommand({ action: "remove", screen_id: screen.screen_id }));
      if (mayPair) gone.append(removeGone);
      entry = { row, gone };
      screenRows.set(screen.screen_id, entry);
    }
    return entry;
  }

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function renderScreens() {
    const now = serverTime.now();
    const rows = [];
    const left = [];
    for (const screen of screens) {
      const entry = screenRow(screen);
      const age = now - screen.last_seen_ms;
      const name = `${screen.label} (${screen.kind})`;
      if (!screen.connected) {
        const since = ago(Math.max(1, Math.round(age / 60000)), "minute");
        setText(entry.gone.firstChild, `${name} · ${t("left_ago").replace("{ago}", () => since)}`);
        left.push(entry.gone);
        continue;
      }
      const stale = age > STALE_MS;
      const imprecise = screen.rtt_ms != null && screen.rtt_ms > IMPRECISE_RTT_MS;
      entry.row.classList.toggle("stale", stale);
      entry.row.classList.toggle("imprecise", imprecise);
      const ms = (value, sign = false) => duration(Math.round(value), "millisecond", { display: "short", sign });
      const offset = screen.offset_ms == null ? "–" : ms(screen.offset_ms, true);
      const rtt = screen.rtt_ms == null ? "–" : `${ms(screen.rtt_ms)}${imprecise ? ` (${t("imprecise")})` : ""}`;
      const contact = `${ago(Math.max(0, Math.round(age / 1000)), "second", { display: "short" })}${stale ? ` (${t("stale")})` : ""}`;
      const cells = entry.row.children;
      [name, offset, rtt, contact].forEach((text, i) => setText(cells[i], text));
      rows.push(entry.row);
    }
    const known = new Set(screens.map((s) => s.screen_id));
    for (const id of screenRows.keys()) if (!known.has(id)) screenRows.delete(id);
    if (!rows.length) {
      if (!emptyRow) {
        emptyRow = el("tr");
        const cell = el("td", "empty", t("no_screens"));
        cell.colSpan = 5;
        emptyRow.append(cell);
      }
      rows.push(emptyRow);
    }
    patchChildren(document.getElementById("screens"), rows);
    const leftBox = document.getElementById("screens-left-box");
    leftBox.hidden = !left.length;
    setText(document.getElementById("screens-left-summary"), t("screens_left").replace("{n}", left.length));
    patchChildren(document.getElementById("screens-left"), left);
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
  for (const preset of document.querySelectorAll("[data-preset]")) {
    preset.addEventListener("click", () => display({ action: "message", text: preset.dataset.preset }));
  }
  document.getElementById("message-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await display({ action: "message", text: messageText.value })) {
      messageText.value = "";
      stagePreview.show();
    }
  });
  const stagePreview = previewDraft(messageText);

  function shortcut(event) {
    if (!rights.has("clock")) return false;
    // The clock's keys, once moderate.js has decided a shortcut may fire here. Those that change
    // what the room sees ask first; a minute more or less is undone by the other key.
    if (!timer) return false;
    if (event.key === " ") askFor({ action: toggleAction() });
    else if (event.key === "]") askFor({ action: "next" });
    else if (event.key === "[") askFor({ action: "previous" });
    else if (event.key === "+" || event.key === "=") command({ action: "adjust", seconds: 60 });
    else if (event.key === "-") command({ action: "adjust", seconds: -60 });
    else return false;
    return true;
  }

  socket.on("timer", showTimer);
  socket.on("display", showDisplay);
  socket.on("screens", (list) => { screens = list; renderScreens(); });
  setInterval(renderScreens, 5000);

  return {
    shortcut,
    /** The timer part of the moderator's sync reply. */
    load(reply) {
      timer = null;
      showTimer(reply.timer);
      showDisplay(reply.display);
      screens = reply.screens || [];
      renderScreens();
    },
    remaining: () => (timer ? remainingAt(timer, serverTime.now()) : null),
    /** The server's clock as this page estimates it (its offset measured over the socket). */
    now: () => serverTime.now(),
  };
}

// The preview iframes render the room screen and the stage monitor at full HD, each scaled to
// fit its box.
for (const previewBox of document.querySelectorAll(".preview-frame, .stage-preview-frame")) {
  const fit = () => previewBox.style.setProperty("--preview-scale", String(previewBox.clientWidth / 1920));
  new ResizeObserver(fit).observe(previewBox);
  fit();
}

const DRAFT_DEBOUNCE_MS = 150;

/** The stage monitor preview of the message being typed in `input`: the framed stage monitor
 *  (`?preview=1`, same origin) gets the draft by postMessage a moment after the last key and
 *  renders it as the real one would; its answer says whether the stage monitor would cut it.
 *  Nothing is sent to the server, and the focus stays in the field. */
function previewDraft(input) {
  const frame = document.getElementById("stage-preview");
  const warning = document.getElementById("stage-preview-warning");
  let pending = null;
  const show = () => {
    clearTimeout(pending);
    frame?.contentWindow?.postMessage({ type: "stage-preview-draft", text: input.value }, location.origin);
  };
  if (!frame) return { show };
  input.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(show, DRAFT_DEBOUNCE_MS);
  });
  frame.addEventListener("load", show);
  window.addEventListener("message", (event) => {
    // Only the preview frame, on this origin, answers.
    if (event.origin !== location.origin || event.source !== frame.contentWindow) return;
    const data = event.data;
    if (data?.type === "stage-preview-ready") show();
    else if (data?.type === "stage-preview-shown") {
      warning.hidden = !data.clamped;
    }
  });
  return { show };
}
