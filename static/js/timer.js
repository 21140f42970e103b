// The timer in the browser: the agenda countdown, rendered locally from the server's timestamps
// and server time (server-time.js), flipping each second exactly when the server's second flips.

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

function durationText(totalSeconds) {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

/** "9:59" counting down (a second shows until it has fully elapsed), "+1:05" in overtime. */
export function formatRemaining(remaining) {
  if (remaining >= 0) return durationText(Math.ceil(remaining / 1000));
  return `+${durationText(Math.floor(-remaining / 1000))}`;
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
 *  whenever the server sends a new state. Each flip is aimed at the server's second boundary,
 *  read from `serverTime` (a ServerTime). */
export class Countdown {
  constructor(serverTime, element, phaseTarget = element, { onTick } = {}) {
    this.serverTime = serverTime;
    this.element = element;
    this.phaseTarget = phaseTarget;
    this.onTick = onTick;
    this.timer = null;
    this.handle = null;
  }

  /** Show `timer`, unless it is older (its `version`) than the state already shown: a reply
   *  that left the server before a change it broadcast must not undo that change. */
  update(timer) {
    if (this.timer && timer.version != null && timer.version < this.timer.version) return;
    this.timer = timer;
    this.render();
  }

  render() {
    clearTimeout(this.handle);
    if (!this.timer) return;
    const remaining = remainingAt(this.timer, this.serverTime.now());
    const text = formatRemaining(remaining);
    if (this.element.textContent !== text) {
      this.element.textContent = text;
      this.element.dataset.chars = String(text.length);
    }
    this.phaseTarget.dataset.phase = phaseOf(this.timer, remaining);
    this.phaseTarget.dataset.state = this.timer.state;
    this.onTick?.(remaining);
    if (this.timer.state === "running") {
      // +1 ms so that a timeout firing on the boundary itself lands past it.
      this.handle = setTimeout(() => this.render(), untilNextFlip(remaining) + 1);
    }
  }
}
