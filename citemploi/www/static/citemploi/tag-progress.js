/* "Vérifier un fichier": polls the job's JSON status (data-status-url) every second and updates the progress bar,
   the status line (aria-live), the summary and the download link. Without JavaScript, the page offers a reload link. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function update(box, data) {
    var bar = document.getElementById("tag-progress");
    bar.value = data.percent;
    bar.textContent = data.percent + " %";
    var text = data.status_label.charAt(0).toUpperCase() + data.status_label.slice(1);
    if (data.total_rows) { text += " — " + data.processed_rows + " ligne(s) sur " + data.total_rows; }
    document.getElementById("tag-status").textContent = text + ".";
    var summary = document.getElementById("tag-summary");
    summary.textContent = "";
    data.summary.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      summary.appendChild(li);
    });
    var error = document.getElementById("tag-error");
    error.textContent = data.error;
    error.classList.toggle("d-none", !data.error);
    var link = document.getElementById("tag-download");
    if (data.download_url) { link.href = data.download_url; link.classList.remove("d-none"); }
  }
  function poll(box) {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        update(box, data);
        if (data.status === "pending" || data.status === "running") { window.setTimeout(function () { poll(box); }, 1000); }
      });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("tag-job");
    if (box) {
      var status = box.getAttribute("data-status");
      if (status === "pending" || status === "running") { poll(box); }
    }
  });
})();
