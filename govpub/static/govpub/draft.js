/* No lost work in the item editor: a warning before leaving with unsaved changes, and a copy of the
 * working text kept in this browser (localStorage) every few seconds, offered back when the editor is
 * opened again. The local copy never creates a revision: only 保存 does. It is keyed by the person, the
 * item and the revision the edit started from, removed on submit and on 退出, and forgotten after 7 days.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-key]");
  if (!form || !window.localStorage) return;
  var KEY = "govpub-draft:" + form.getAttribute("data-draft-key");
  var WEEK = 7 * 24 * 3600 * 1000;

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "hidden" && el.type !== "password" &&
        el.type !== "submit" && el.type !== "button";
    });
  }
  function snapshot() {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name] = values[el.name] || [];
        if (el.checked) values[el.name].push(el.value);
      } else values[el.name] = [el.value];
    });
    return JSON.stringify(values);
  }
  function restore(values) {
    fields().forEach(function (el) {
      var v = values[el.name];
      if (!v) return;
      if (el.type === "checkbox" || el.type === "radio") el.checked = v.indexOf(el.value) !== -1;
      else {
        el.value = v[v.length - 1];
        // the rich editor shows its textarea in a contenteditable beside it (editor.js)
        var area = el.hasAttribute("data-rich") && el.parentNode.querySelector(".rich-area");
        if (area) area.innerHTML = el.value;
      }
    });
  }

  var saved = snapshot();
  var submitting = false;
  function dirty() { return snapshot() !== saved; }

  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { stored = null; }
  if (stored && (Date.now() - stored.at > WEEK)) { localStorage.removeItem(KEY); stored = null; }
  if (stored && stored.values !== saved) {
    var note = document.createElement("div");
    note.className = "draft-note";
    note.setAttribute("role", "status");
    var when = new Date(stored.at);
    var text = document.createElement("p");
    text.textContent = "本机保存有您 " + when.toLocaleString("zh-CN", { hour12: false }) +
      " 未提交的修改（尚未保存为新版本）。";
    var restoreButton = document.createElement("button");
    restoreButton.type = "button";
    restoreButton.textContent = "恢复未保存的修改";
    var dropButton = document.createElement("button");
    dropButton.type = "button";
    dropButton.className = "secondary";
    dropButton.textContent = "丢弃";
    restoreButton.addEventListener("click", function () {
      restore(JSON.parse(stored.values));
      note.remove();
    });
    dropButton.addEventListener("click", function () { localStorage.removeItem(KEY); note.remove(); });
    note.appendChild(text);
    note.appendChild(restoreButton);
    note.appendChild(dropButton);
    form.parentNode.insertBefore(note, form);
  }

  function keep() {
    if (submitting) return;
    var now = snapshot();
    if (now === saved) return;
    try { localStorage.setItem(KEY, JSON.stringify({ at: Date.now(), values: now })); } catch (e) { /* full */ }
  }
  setInterval(keep, 5000);
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("submit", function () { submitting = true; localStorage.removeItem(KEY); });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !dirty()) return;
    keep();
    event.preventDefault();
    event.returnValue = "";  // the browser shows its own "leave page?" question
  });
})();
