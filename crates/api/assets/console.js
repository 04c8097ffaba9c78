// hiresync console: the little script the pages use; each page works without it.
"use strict";

// Show only the chosen provider's credential fields in the connect form.
function showProviderFields(select) {
  document.querySelectorAll("fieldset[data-provider]").forEach(function (fs) {
    var on = fs.getAttribute("data-provider") === select.value;
    fs.hidden = !on;
    fs.querySelectorAll("input").forEach(function (i) { i.disabled = !on; });
  });
}

// Refresh a partial (a progress bar) from its data-poll URL until it says it is finished.
function poll(el) {
  var url = el.getAttribute("data-poll");
  if (!url || el.getAttribute("data-finished") === "true") return;
  setTimeout(function () {
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var box = document.createElement("div");
        box.innerHTML = html;
        var fresh = box.firstElementChild;
        if (fresh) { el.replaceWith(fresh); poll(fresh); }
      })
      .catch(function () { poll(el); });
  }, 500);
}

document.addEventListener("DOMContentLoaded", function () {
  var select = document.querySelector("[data-shows-fieldset]");
  if (select) {
    showProviderFields(select);
    select.addEventListener("change", function () { showProviderFields(select); });
  }
  document.querySelectorAll("[data-poll]").forEach(poll);
});
