// Who has the floor, as the dashboard and the stage monitor write it.
import { t } from "./connection.js";

/** "3:07", "1:02:07": Latin digits, as every clock of the app (CSS keeps them left to right). */
export function clockText(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** A speaker's name in the page's language: the fixed speakers' names are stored in English. */
export function speakerName(speaker) {
  const id = speaker?.speaker ?? speaker?.id;
  if (id === "audience-room" || id === "audience-online") return t(`speaker_${id}`);
  if (id === "moderator" && speaker.name === "Moderator") return t("speaker_moderator");
  return speaker?.name ?? "";
}
