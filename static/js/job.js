// A job's page: follow its progress from the small status endpoint; when the job ends,
// load the page again (it then offers the file, or says why the job failed).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") return;
  var url = box.dataset.statusUrl;
  var bar = document.getElementById("job-progress");
  var state = document.getElementById("job-state");
  var detail = document.getElementById("job-detail");
  var delay = 1000;

  function show(status) {
    if (status.finished) {
      window.location.reload();
      return;
    }
    state.textContent = status.label;
    if (status.percent !== null && bar) {
      bar.value = status.percent;
      bar.textContent = status.percent + "%";
    }
    if (detail) detail.textContent = status.detail;
    window.setTimeout(poll, delay);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (status) {
        delay = 1000;
        show(status);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000); // the portal is busy or offline: back off
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
