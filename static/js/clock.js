// The agenda clock in the browser. The server is the only authority: this module estimates the
// offset between this device's clock and the server's, NTP-style, and renders the countdown
// locally from the server's timestamps, flipping each second exactly when the server's second
// flips, whatever this device's own clock says.
import { request } from "./connection.js";

// More samples right after connecting, when there is no estimate yet, then a few each round.
const FIRST_SAMPLES = 24;
const SAMPLES = 12;
// Samples taken back to back cross the network together and share its delays; a pause between
// them gives the filter independent chances at a short, symmetric round trip.
const SAMPLE_GAP_MS = 60;
const RESYNC_MS = 30_000;
// Samples are kept this long: the best of several rounds beats the best of one on a jittery
// network, and two clocks drift apart by far less than a millisecond in five minutes.
const KEEP_MS = 5 * 60_000;

/** The server's clock as seen from here: `now()` is server time in epoch milliseconds. */
export class ServerClock {
  constructor(socket, { onSynced, onUpdate } = {}) {
    this.socket = socket;
    this.offset = 0;        // server minus local, ms
    this.rtt = null;        // round trip of the sample kept, ms
    this.synced = false;
    this.onSynced = onSynced;  // after each round: report the estimate
    this.onUpdate = onUpdate;  // whenever the estimate improves: render with it
    this.timer = null;
    this.samples = [];
    socket.on("connect", () => {
      this.samples = [];  // a new connection may take another route, or another server
      this.sync();
    });
    socket.on("disconnect", () => clearTimeout(this.timer));
  }

  now() {
    return Date.now() + this.offset;
  }

  /** Use the sample with the least round trip among those kept; true if there is one. */
  adopt(final) {
    const cutoff = performance.now() - KEEP_MS;
    this.samples = this.samples.filter((sample) => sample.at >= cutoff);
    const best = this.samples.reduce((a, b) => (!a || b.rtt < a.rtt ? b : a), null);
    if (!best) return false;
    const changed = best.offset !== this.offset;
    this.offset = best.offset;
    this.rtt = best.rtt;
    if (final) this.synced = true;
    if (changed) this.onUpdate?.(this);
    return true;
  }

  /** Take several samples and keep the one with the least round trip: its midpoint is the
   *  closest to when the server read its clock. Repeats every 30 s while connected. */
  async sync() {
    clearTimeout(this.timer);
    const count = this.samples.length ? SAMPLES : FIRST_SAMPLES;
    for (let i = 0; i < count && this.socket.connected; i++) {
      const localStart = Date.now();
      const t0 = performance.now();
      let reply;
      try {
        reply = await request(this.socket, "time", {}, 5000);
      } catch {
        continue;
      }
      const rtt = performance.now() - t0;
      this.samples.push({ rtt, offset: reply.server_ms - (localStart + rtt / 2), at: t0 });
      this.adopt(false);
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_GAP_MS * (0.5 + Math.random())));
    }
    if (this.adopt(true)) this.onSynced?.(this);
    if (this.socket.connected) this.timer = setTimeout(() => this.sync(), RESYNC_MS);
  }
}

/** Milliseconds left in the segment at server time `serverNow` (negative: overtime). */
export function remainingAt(timer, serverNow) {
  const running = timer.state === "running" && timer.started_ms != null ? serverNow - timer.started_ms : 0;
  return timer.duration_ms - timer.elapsed_before_ms - running;
}

/** normal, warning, danger or overtime. */
export function phaseOf(timer, remaining) {
  if (remaining < 0) return "overtime";
  if (remaining <= timer.segment.danger_ms) return "danger";
  if (remaining <= timer.segment.warning_ms) return "warning";
  return "normal";
}

function clockText(totalSeconds) {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

/** "9:59" counting down (a second shows until it has fully elapsed), "+1:05" in overtime. */
export function formatRemaining(remaining) {
  if (remaining >= 0) return clockText(Math.ceil(remaining / 1000));
  return `+${clockText(Math.floor(-remaining / 1000))}`;
}

/** Milliseconds until the displayed value changes. */
function untilNextFlip(remaining) {
  if (remaining > 0) {
    const shown = Math.ceil(remaining / 1000);
    return remaining - (shown - 1) * 1000;
  }
  const over = -remaining;
  return (Math.floor(over / 1000) + 1) * 1000 - over;
}

/** Renders a countdown into `element`, setting data-phase on `phaseTarget`; call `update(timer)`
 *  whenever the server sends a new state. Timers are aimed at the server's second boundary. */
export class Countdown {
  constructor(clock, element, phaseTarget = element, { onTick } = {}) {
    this.clock = clock;
    this.element = element;
    this.phaseTarget = phaseTarget;
    this.onTick = onTick;
    this.timer = null;
    this.handle = null;
  }

  update(timer) {
    this.timer = timer;
    this.render();
  }

  render() {
    clearTimeout(this.handle);
    if (!this.timer) return;
    const remaining = remainingAt(this.timer, this.clock.now());
    const text = formatRemaining(remaining);
    if (this.element.textContent !== text) {
      this.element.textContent = text;
      this.element.dataset.chars = String(text.length);
    }
    this.phaseTarget.dataset.phase = phaseOf(this.timer, remaining);
    this.phaseTarget.dataset.state = this.timer.state;
    this.onTick?.(remaining);
    if (this.timer.state === "running") {
      // +1 ms so that a timer firing on the boundary itself lands past it.
      this.handle = setTimeout(() => this.render(), untilNextFlip(remaining) + 1);
    }
  }
}
