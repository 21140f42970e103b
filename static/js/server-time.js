// Server time in the browser. The server is the only authority: this module estimates the
// offset between this device's clock and the server's, NTP-style, so that the timer (timer.js)
// can flip each second exactly when the server's second flips, whatever this device's own clock
// says.
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
export class ServerTime {
  constructor(socket, { onSynced, onUpdate } = {}) {
    this.socket = socket;
    this.offset = 0;        // server minus local, ms
    this.rtt = null;        // round trip of the sample kept, ms
    this.synced = false;
    this.onSynced = onSynced;  // after each round: report the estimate
    this.onUpdate = onUpdate;  // whenever the estimate improves: render with it
    this.resync = null;     // the next round of samples
    this.samples = [];
    socket.on("connect", () => {
      this.samples = [];  // a new connection may take another route, or another server
      this.sync();
    });
    socket.on("disconnect", () => clearTimeout(this.resync));
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
    clearTimeout(this.resync);
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
      if (typeof reply?.server_ms !== "number") continue;  // refused (rate_limited): no sample
      const rtt = performance.now() - t0;
      this.samples.push({ rtt, offset: reply.server_ms - (localStart + rtt / 2), at: t0 });
      this.adopt(false);
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_GAP_MS * (0.5 + Math.random())));
    }
    if (this.adopt(true)) this.onSynced?.(this);
    if (this.socket.connected) this.resync = setTimeout(() => this.sync(), RESYNC_MS);
  }
}
