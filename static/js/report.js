// The report page works without scripts; this only offers the Print button, which needs one.
const print = document.getElementById("print-report");
if (print) {
  print.hidden = false;
  print.addEventListener("click", () => window.print());
}
