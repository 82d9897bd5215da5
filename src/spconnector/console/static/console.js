// spconnector console: live SLA countdowns, j/k keyboard navigation in the inbox, and the
// "send my edited text" box ticked as soon as the reply is edited. No inline scripts (CSP).
(function () {
  "use strict";
  function left(ms) {
    var sign = ms < 0 ? "-" : "";
    var s = Math.floor(Math.abs(ms) / 1000);
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    return sign + h + "h " + (m < 10 ? "0" : "") + m + "m";
  }
  // The SLA clock is the server's (in the local console, the simulator's): count from it.
  var offset = 0;
  function tick() {
    var now = Date.now() + offset;
    document.querySelectorAll(".countdown[data-respond-by]").forEach(function (el) {
      var ms = Date.parse(el.getAttribute("data-respond-by")) - now;
      el.textContent = left(ms);
      var row = el.closest("tr");
      if (row) {
        row.classList.toggle("late", ms < 0);
        row.classList.toggle("near", ms >= 0 && ms < 4 * 3600 * 1000);
      }
    });
  }
  var current = -1;
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("table.inbox tbody tr[data-case]")); }
  document.addEventListener("keydown", function (ev) {
    if (ev.target && /INPUT|TEXTAREA|SELECT/.test(ev.target.tagName)) { return; }
    var all = rows();
    if (!all.length) { return; }
    if (ev.key === "j" || ev.key === "k") {
      current = Math.max(0, Math.min(all.length - 1, current + (ev.key === "j" ? 1 : -1)));
      all.forEach(function (r) { r.classList.remove("focused"); });
      all[current].classList.add("focused");
      all[current].querySelector("a.open").focus();
    }
  });
  document.addEventListener("input", function (ev) {
    if (ev.target && ev.target.id === "reply") {
      var box = document.getElementById("edited");
      if (box) { box.checked = true; }
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var server = Date.parse(document.body.getAttribute("data-server-now") || "");
    if (!isNaN(server)) { offset = server - Date.now(); }
    tick();
    setInterval(tick, 1000);
  });
})();
