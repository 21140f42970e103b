// The index page's script: the viewer's own time beside each event's, where it differs. The
// attendee page and the dashboard call showLocalTimes from their own scripts.
import { showLocalTimes } from "./locale.js";

showLocalTimes();
