// The dashboard's speaking-time panel: who has the floor (one toggle button per speaker, one key
// each), the balance as a small bar chart, and the record of intervals with its corrections.
//
// The server sends the whole view at each change (`speaking`); between changes the page counts
// the current speaker's time up by itself, from the server's clock (the timer's offset), and
// recomputes the shares with the server's formulas (moderator/core/speaking.py `balance`). The
// buttons, the chart's rows and the record's rows are keyed and patched in place: a focused
// button keeps its focus, a half-typed correction its text. Nothing is announced every second.
import { el, patchChildren, request, t } from "./connection.js";
import { pageLang } from "./locale.js";
import { clockText, speakerName } from "./speaking-format.js";

const TICK_MS = 1000;
const RECENT = 8;          // intervals offered for correction, newest first
const KEYED = 9;           // speakers reachable by a digit key (1 to 9)
const NOBODY = "";         // the "Nobody" button's key in the maps below

function round1(value) {
  return Math.round(value * 10) / 10;
}

/** The balance at `at` (server time): `view`'s totals with the current interval counted up to
 *  `at`, and each share, panel share and gap recomputed as `speaking.balance` computes them. */
export function balanceAt(view, at) {
  const totals = { ...view.totals };
  const current = view.current;
  if (current) {
    totals[current.speaker] = (totals[current.speaker] || 0) + Math.max(0, at - view.server_now_ms);
  }
  const ms = (id) => totals[id] || 0;
  const total = Object.values(totals).reduce((a, b) => a + b, 0);
  const share = (part, whole) => (whole > 0 ? round1((100 * part) / whole) : null);
  const panelTotal = view.speakers.filter((s) => s.kind === "panelist").reduce((a, s) => a + ms(s.id), 0);
  const rows = view.speakers.map((s) => {
    const panelShare = s.kind === "panelist" ? share(ms(s.id), panelTotal) : null;
    return {
      ...s,
      total_ms: ms(s.id),
      share: share(ms(s.id), total),
      panel_share: panelShare,
      gap: panelShare == null || s.target == null ? null : round1(panelShare - s.target),
    };
  });
  const groups = new Map();
  for (const s of view.speakers) if (s.group) groups.set(s.group, (groups.get(s.group) || 0) + ms(s.id));
  const grouped = [...groups.values()].reduce((a, b) => a + b, 0);
  return {
    total_ms: total,
    speakers: rows,
    groups: [...groups].map(([group, groupMs]) => ({ group, total_ms: groupMs, share: share(groupMs, grouped) })),
  };
}

// The event's zone, for the corrections' time fields: parts of an instant there, and back.
function zoneParts(ms, zone) {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  return Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]));
}

function zoneOffset(ms, zone) {
  const p = zoneParts(ms, zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/** "14:05:09": the time of day of `ms` in `zone`, as a time field holds it. */
export function timeOfDayValue(ms, zone) {
  const p = zoneParts(ms, zone);
  return [p.hour % 24, p.minute, p.second].map((n) => String(n).padStart(2, "0")).join(":");
}

/** The instant a time field's "14:05:09" names, on the day (in `zone`) of `anchorMs`; null if
 *  it is not a time. */
export function instantOf(value, anchorMs, zone) {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value || "");
  if (!match) return null;
  const [hour, minute, second] = [match[1], match[2], match[3] || "0"].map(Number);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const p = zoneParts(anchorMs, zone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, hour, minute, second);
  const guess = wall - zoneOffset(anchorMs, zone);
  return wall - zoneOffset(guess, zone);  // again, in case the zone's offset changed that day
}

export function setupSpeaking(socket, notify, { now, shortcutsOn }) {
  const panel = document.getElementById("speaking-panel");
  const app = document.getElementById("app");
  const rights = new Set((app.dataset.rights || "").split(" "));
  if (!panel || !rights.has("clock")) return { load() {}, shortcut: () => false };
  const zone = app.dataset.timezone || undefined;
  const percent = new Intl.NumberFormat(pageLang(), { style: "percent", maximumFractionDigits: 0 });
  const points = new Intl.NumberFormat(pageLang(), { maximumFractionDigits: 0, signDisplay: "exceptZero" });
  const timeShown = new Intl.DateTimeFormat(pageLang(), { timeZone: zone, timeStyle: "medium" });
  const buttonsBox = document.getElementById("speaker-buttons");
  const speakerTime = document.getElementById("speaker-time-on");
  let view = null;
  // The speaker a press asked for (null: nobody), shown pressed until the server answers.
  let asked;
  let askedSeq = 0;

  const setText = (node, text) => { if (node.textContent !== text) node.textContent = text; };

  function apply(next) {
    // A broadcast and a reply may cross: the later reading of the server wins.
    if (!next || (view && next.server_now_ms < view.server_now_ms)) return;
    view = next;
    render();
  }

  // --- Who has the floor ------------------------------------------------------------------

  const buttons = new Map();  // speaker id (NOBODY for "Nobody") -> button
  function speakerButton(id) {
    let node = buttons.get(id);
    if (!node) {
      node = el("button", "speaker-button");
      node.type = "button";
      node.dataset.speaker = id;
      const key = el("kbd", "speaker-key");
      key.setAttribute("aria-hidden", "true");
      const name = el("span", "speaker-name");
      name.dir = "auto";
      node.append(key, name, el("span", "speaker-count"));
      node.addEventListener("click", () => give(id === NOBODY ? null : id));
      buttons.set(id, node);
    }
    return node;
  }

  function listed() {
    return view ? view.speakers.filter((s) => s.listed !== false) : [];
  }

  function shownSpeaker() {
    if (asked !== undefined) return asked;
    return view?.current?.speaker ?? null;
  }

  function renderButtons() {
    const speakers = listed();
    const nodes = speakers.map((speaker, index) => {
      const node = speakerButton(speaker.id);
      setText(node.children[1], speakerName(speaker));
      const key = index < KEYED ? String(index + 1) : "";
      setText(node.children[0], key);
      node.children[0].hidden = !key;
      if (key) node.setAttribute("aria-keyshortcuts", key);
      else node.removeAttribute("aria-keyshortcuts");
      return node;
    });
    const nobody = speakerButton(NOBODY);
    setText(nobody.children[1], t("nobody"));
    setText(nobody.children[0], "0");
    nobody.setAttribute("aria-keyshortcuts", "0");
    nodes.push(nobody);
    patchChildren(buttonsBox, nodes);
    const known = new Set(speakers.map((s) => s.id).concat(NOBODY));
    for (const id of buttons.keys()) if (!known.has(id)) buttons.delete(id);
    const pressed = shownSpeaker() ?? NOBODY;
    for (const [id, node] of buttons) node.setAttribute("aria-pressed", String(id === pressed));
    tick();
  }

  async function give(id) {
    if (!view) return;
    const seq = ++askedSeq;
    asked = id;
    renderButtons();
    let reply;
    try {
      reply = await request(socket, "speaker", { speaker: id });
    } catch {
      reply = { error: { message: t("offline") } };
    }
    if (seq !== askedSeq) return;  // a later press is on its way: its answer decides
    asked = undefined;
    if (reply.error) {
      notify(`${t("speaking_failed")} ${reply.error.message}`);
      renderButtons();
      return;
    }
    apply(reply);
  }

  // --- The balance --------------------------------------------------------------------------

  const rows = new Map();  // "s:<id>" or "g:<group>" -> row
  function balanceRow(key, label) {
    let row = rows.get(key);
    if (!row) {
      row = el("li", "balance-row");
      const name = el("span", "balance-name");
      name.dir = "auto";
      const bar = el("span", "balance-bar");
      bar.setAttribute("aria-hidden", "true");
      bar.append(el("span", "balance-fill"));
      row.append(name, bar, el("span", "balance-figures"), el("span", "balance-gap"));
      rows.set(key, row);
    }
    setText(row.children[0], label);
    return row;
  }

  function fillRow(row, entry, widest, shareOf = "floor_share") {
    const [, bar, figures, gap] = row.children;
    const width = widest > 0 ? `${(100 * entry.total_ms) / widest}%` : "0%";
    if (bar.firstChild.style.inlineSize !== width) bar.firstChild.style.inlineSize = width;
    const share = entry.share == null ? "" : ` · ${t(shareOf).replace("{share}", () => percent.format(entry.share / 100))}`;
    setText(figures, `${clockText(entry.total_ms)}${share}`);
    const gapText = entry.gap == null ? ""
      : t("gap_target").replace("{gap}", () => points.format(entry.gap))
        .replace("{target}", () => percent.format(entry.target / 100));
    setText(gap, gapText);
    gap.hidden = !gapText;
    gap.dataset.side = entry.gap == null ? "" : entry.gap < -5 ? "under" : entry.gap > 5 ? "over" : "near";
  }

  function renderBalance(at) {
    const balance = balanceAt(view, at);
    const current = shownSpeaker();
    const shown = balance.speakers.filter((s) => s.total_ms > 0 || s.kind === "panelist" || s.id === current);
    const widest = Math.max(0, ...shown.map((s) => s.total_ms));
    const nodes = shown.map((s) => {
      const row = balanceRow(`s:${s.id}`, speakerName(s));
      row.dataset.speaker = s.id;
      row.classList.toggle("speaking", s.id === current);
      fillRow(row, s, widest);
      return row;
    });
    patchChildren(document.getElementById("balance-rows"), nodes);
    setText(document.getElementById("balance-total"), balance.total_ms ? clockText(balance.total_ms) : t("no_floor_time"));
    const groupsBox = document.getElementById("balance-groups");
    const widestGroup = Math.max(0, ...balance.groups.map((g) => g.total_ms));
    patchChildren(groupsBox, balance.groups.map((g) => {
      const row = balanceRow(`g:${g.group}`, g.group);
      fillRow(row, g, widestGroup, "group_share");
      return row;
    }));
    groupsBox.hidden = !balance.groups.length;
    document.getElementById("groups-title").hidden = !balance.groups.length;
  }

  // Once a second: the pressed button's count and the chart, patched.
  function tick() {
    if (!view) return;
    const at = now();
    const current = view.current;
    for (const [id, node] of buttons) {
      const counting = current && id === current.speaker && asked === undefined;
      setText(node.children[2], counting ? clockText(at - current.since_ms) : "");
    }
    renderBalance(at);
  }

  // --- Corrections ----------------------------------------------------------------------------

  const intervalRows = new Map();  // interval id -> {row, fields...}
  function intervalRow(interval) {
    let entry = intervalRows.get(interval.id);
    if (entry) return entry;
    const row = el("li", "interval");
    const form = el("form", "interval-form");
    const fieldset = el("fieldset");
    const legend = el("legend");
    legend.dir = "auto";
    const field = (label, control, suffix) => {
      control.id = `interval-${interval.id}-${suffix}`;
      const wrap = el("span", "interval-field");
      const caption = el("label", null, label);
      caption.htmlFor = control.id;
      wrap.append(caption, control);
      return wrap;
    };
    const speaker = el("select");
    const start = el("input");
    const end = el("input");
    for (const input of [start, end]) {
      input.type = "time";
      input.step = "1";
    }
    const save = el("button", null, t("interval_save"));
    save.type = "submit";
    const error = el("p", "field-error");
    error.id = `interval-${interval.id}-error`;
    error.setAttribute("role", "alert");
    error.hidden = true;
    fieldset.append(legend, field(t("interval_speaker"), speaker, "speaker"),
      field(t("interval_start"), start, "start"), field(t("interval_end"), end, "end"), save);
    form.append(fieldset, error);
    row.append(form);
    for (const control of [speaker, start, end]) {
      control.addEventListener("input", () => { control.dataset.dirty = "1"; });
      control.addEventListener("change", () => { control.dataset.dirty = "1"; });
    }
    entry = { row, legend, speaker, start, end, error };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      correct(interval.id, entry);
    });
    intervalRows.set(interval.id, entry);
    return entry;
  }

  function showError(entry, message) {
    entry.error.hidden = !message;
    setText(entry.error, message || "");
    for (const control of [entry.speaker, entry.start, entry.end]) {
      if (message) control.setAttribute("aria-describedby", entry.error.id);
      else control.removeAttribute("aria-describedby");
    }
  }

  function fillInterval(entry, interval) {
    const name = speakerName(interval);
    const from = timeShown.format(interval.started_ms);
    const until = interval.ended_ms == null ? t("interval_open") : timeShown.format(interval.ended_ms);
    setText(entry.legend, `${name} · ${from} – ${until}`);
    entry.interval = interval;
    if (!entry.speaker.dataset.dirty) {
      const options = listed().map((s) => [s.id, speakerName(s)]);
      if (!options.some(([id]) => id === interval.speaker)) options.push([interval.speaker, name]);
      const key = JSON.stringify(options);
      if (entry.speaker.dataset.key !== key) {
        entry.speaker.dataset.key = key;
        entry.speaker.replaceChildren(...options.map(([id, label]) => {
          const option = el("option", null, label);
          option.value = id;
          return option;
        }));
      }
      entry.speaker.value = interval.speaker;
    }
    if (!entry.start.dataset.dirty) entry.start.value = timeOfDayValue(interval.started_ms, zone);
    entry.end.disabled = interval.ended_ms == null;
    if (!entry.end.dataset.dirty) entry.end.value = interval.ended_ms == null ? "" : timeOfDayValue(interval.ended_ms, zone);
  }

  async function correct(id, entry) {
    const interval = entry.interval;
    const data = { id };
    if (entry.speaker.value !== interval.speaker) data.speaker = entry.speaker.value;
    const moments = [["started_ms", entry.start, interval.started_ms]];
    if (interval.ended_ms != null) moments.push(["ended_ms", entry.end, interval.ended_ms]);
    for (const [key, input, was] of moments) {
      if (input.value === timeOfDayValue(was, zone)) continue;  // untouched: the exact ms stay
      const at = instantOf(input.value, was, zone);
      if (at == null) {
        showError(entry, t("interval_bad_time"));
        input.focus();
        return;
      }
      data[key] = at;
    }
    if (Object.keys(data).length === 1) {
      showError(entry, t("interval_unchanged"));
      return;
    }
    let reply;
    try {
      reply = await request(socket, "speaker_interval", data);
    } catch {
      reply = { error: { message: t("offline") } };
    }
    if (reply.error) {
      // The typed values stay, to be fixed and saved again.
      showError(entry, reply.error.message);
      return;
    }
    showError(entry, "");
    for (const control of [entry.speaker, entry.start, entry.end]) delete control.dataset.dirty;
    apply(reply);
    notify(t("interval_saved"));
  }

  function renderIntervals() {
    const recent = view.intervals.slice(-RECENT).reverse();
    const list = document.getElementById("speaking-intervals");
    const nodes = recent.map((interval) => {
      const entry = intervalRow(interval);
      fillInterval(entry, interval);
      return entry.row;
    });
    if (!nodes.length) {
      renderIntervals.empty ||= el("li", "empty", t("no_intervals"));
      nodes.push(renderIntervals.empty);
    }
    patchChildren(list, nodes);
    const kept = new Set(recent.map((i) => i.id));
    for (const id of intervalRows.keys()) if (!kept.has(id)) intervalRows.delete(id);
  }

  function render() {
    if (!view) return;
    renderButtons();
    renderIntervals();
  }

  // --- The stage monitors' switch -----------------------------------------------------------

  function showDisplay(display) {
    if (display && typeof display.speaker_time === "boolean") speakerTime.checked = display.speaker_time;
  }
  speakerTime.addEventListener("change", async () => {
    const wanted = speakerTime.checked;
    let reply;
    try {
      reply = await request(socket, "display", { action: "speaker_time", on: wanted });
    } catch {
      reply = { error: { message: t("offline") } };
    }
    if (reply.error) {
      speakerTime.checked = !wanted;
      notify(`${t("failed")} ${reply.error.message}`);
      return;
    }
    showDisplay(reply);
    notify(t(reply.speaker_time ? "speaker_time_on" : "speaker_time_off"));
  });

  // A digit gives the floor: from anywhere a shortcut may fire (moderate.js decides), and from
  // the speakers' own buttons (a button keeps Space and Enter; digits are free there).
  function shortcut(event) {
    if (!view || event.altKey || event.ctrlKey || event.metaKey || !/^[0-9]$/.test(event.key)) return false;
    if (event.key === "0") {
      give(null);
      return true;
    }
    const speaker = listed()[Number(event.key) - 1];
    if (!speaker) return false;
    give(speaker.id);
    return true;
  }
  buttonsBox.addEventListener("keydown", (event) => {
    if (!shortcutsOn() || event.isComposing) return;
    if (shortcut(event)) {
      event.preventDefault();
      event.stopPropagation();
      // The focus follows the key to the button it pressed.
      const id = shownSpeaker() ?? NOBODY;
      buttons.get(id)?.focus();
    }
  });

  socket.on("speaking", apply);
  socket.on("display", showDisplay);
  setInterval(tick, TICK_MS);

  return {
    shortcut,
    /** The speaking part of the dashboard's sync reply. */
    load(reply) {
      if (reply.display) showDisplay(reply.display);
      if (!reply.speaking) return;
      view = null;
      asked = undefined;
      apply(reply.speaking);
    },
  };
}
