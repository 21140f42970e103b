// The page's language, and times and durations formatted in it. Scripts format with the
// language the server chose for the page (<html lang>), never with the browser's default: a
// French page on an English laptop reads "il y a 5 minutes". Counts of minutes go through Intl's
// unit formatting, which knows every language's plurals, so the sentences around them need none.
// No Socket.IO here: the index page uses this module alone.

const messages = JSON.parse(document.getElementById("messages")?.textContent || "{}");
const formats = new Map();

/** The page's language ("fr"), as the server rendered it on <html lang>. */
export function pageLanguage() {
  return (document.documentElement.lang || "").split("-")[0].toLowerCase();
}

/** The page's language as a tag Intl accepts ("fr", "zh-Hans"); undefined (the browser's
 *  default) when the page names none, or one Intl does not know. */
export function pageLang() {
  const lang = (document.documentElement.lang || "").replaceAll("_", "-");
  if (!lang) return undefined;
  try {
    // Latin digits in every language, as on the clock and in what the server writes (Babel).
    return Intl.getCanonicalLocales(`${lang}-u-nu-latn`)[0];
  } catch {
    return undefined;
  }
}

function cached(kind, options, make) {
  const key = `${kind} ${pageLang()} ${JSON.stringify(options)}`;
  if (!formats.has(key)) formats.set(key, make(pageLang(), options));
  return formats.get(key);
}

/** A formatter of times of day in the page's language, in `timeZone` (an IANA name; the
 *  viewer's own zone when empty): "08:15", "8:15 AM". With `withDate`, the date too. */
export function timeFormat(timeZone, { withDate = false } = {}) {
  const options = { timeStyle: "short", timeZone: timeZone || undefined };
  if (withDate) options.dateStyle = "medium";
  return cached("time", options, (lang, o) => new Intl.DateTimeFormat(lang, o));
}

/** `value` of `unit` (an Intl unit: "minute", "second", "millisecond") in the page's language:
 *  "5 minutes", "1 minute", "5 минут" with `display` "long"; "5 min", "5 мин" with "short".
 *  `sign` adds "+" to a positive value. */
export function duration(value, unit, { display = "long", sign = false } = {}) {
  const options = { style: "unit", unit, unitDisplay: display, signDisplay: sign ? "exceptZero" : "auto" };
  return cached("unit", options, (lang, o) => new Intl.NumberFormat(lang, o)).format(value);
}

/** `value` `unit`s before now, in words: "5 minutes ago", "il y a 5 minutes", "now". */
export function ago(value, unit, { display = "long" } = {}) {
  const options = { numeric: "auto", style: display };
  return cached("relative", options, (lang, o) => new Intl.RelativeTimeFormat(lang, o)).format(-value, unit);
}

// The wall clock (date, hours, minutes) of `instant` in `timeZone`: the same language every
// time, so two zones compare by what their clocks read.
function wallClock(instant, timeZone) {
  return new Intl.DateTimeFormat("en-US", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(instant);
}

function dayOf(instant, timeZone) {
  return new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

/** Beside each event time the page shows in the event's zone (`<time data-epoch-ms data-zone>`),
 *  the viewer's own time, when their clock reads otherwise: "(14:15 your time)", with the date
 *  when the day differs too. The viewer's zone is known only here, in the browser. */
export function showLocalTimes(root = document) {
  const viewerZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const node of root.querySelectorAll("time[data-epoch-ms][data-zone]")) {
    const instant = Number(node.dataset.epochMs);
    const zone = node.dataset.zone;
    let mine = node.nextElementSibling?.classList.contains("local-time") ? node.nextElementSibling : null;
    let differs = false;
    try {
      differs = Number.isFinite(instant) && wallClock(instant, zone) !== wallClock(instant, viewerZone);
    } catch {
      // A zone this browser does not know: the event's time stands alone.
    }
    if (!differs) {
      mine?.remove();
      continue;
    }
    const format = timeFormat(viewerZone, { withDate: dayOf(instant, zone) !== dayOf(instant, viewerZone) });
    const text = (messages.your_time ?? "({time})").replace("{time}", () => format.format(instant));
    if (!mine) {
      mine = document.createElement("span");
      mine.className = "local-time";
      node.after(mine);
      node.after(" ");
    }
    if (mine.textContent !== text) mine.textContent = text;
  }
}
