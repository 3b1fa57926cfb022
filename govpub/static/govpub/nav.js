// On a phone the main navigation folds behind one 菜单 button so the page starts at its content.
// Without JavaScript the list simply stays open (nothing is lost).
(function () {
  var nav = document.getElementById("nav");
  var button = document.getElementById("nav-toggle");
  if (!nav || !button) return;
  nav.classList.add("foldable");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();

// A form that a replaced session could not submit: its fields, kept by the server (govpub/ui/resume.py),
// are filled back in on the same page after signing in again. Files and passwords are never kept.
(function () {
  var data = document.getElementById("resume-form");
  if (!data) return;
  var fields = JSON.parse(data.textContent);
  Object.keys(fields).forEach(function (name) {
    var values = fields[name];
    document.querySelectorAll("form [name='" + name.replace(/'/g, "\\'") + "']").forEach(function (el) {
      if (el.type === "hidden" || el.type === "file") return;  // hidden ones come fresh with the page
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.indexOf(el.value) !== -1;
      else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
      } else el.value = values[values.length - 1];
    });
  });
})();

// Signing out forgets this browser's unsaved item drafts (static/govpub/draft.js): an office PC is shared.
(function () {
  document.querySelectorAll("form.logout").forEach(function (form) {
    form.addEventListener("submit", function () {
      try {
        Object.keys(localStorage).forEach(function (k) { if (k.indexOf("govpub-draft:") === 0) localStorage.removeItem(k); });
      } catch (e) { /* storage unavailable */ }
    });
  });
})();
