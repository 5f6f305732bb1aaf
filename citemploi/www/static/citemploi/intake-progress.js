/* One import's page: while the file is analysed or processed, polls the JSON status (data-status-url) every second,
   moves the progress bar and the status line (aria-live), and reloads the page once the work is done.
   Without JavaScript, the page offers a reload link. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function poll(box) {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var bar = document.getElementById("intake-progress");
        if (data.total_rows) { bar.max = 100; bar.value = data.percent; bar.textContent = data.percent + " %"; }
        var text = data.state_label.charAt(0).toUpperCase() + data.state_label.slice(1);
        text += " — " + data.processed_rows + " ligne(s) traitée(s)";
        if (data.total_rows) { text += " / " + data.total_rows; }
        document.getElementById("intake-status").textContent = text + ".";
        if (data.working) { window.setTimeout(function () { poll(box); }, 1000); } else { window.location.reload(); }
      });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("intake-job");
    if (box && box.getAttribute("data-working") === "1") { poll(box); }
  });
})();
