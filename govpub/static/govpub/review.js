// 审核批注: "引用所选文字" copies the passage the reviewer selected in the article into the quote field.
// Without JavaScript the passage is pasted by hand.
(function () {
  var button = document.querySelector(".quote-selection");
  var field = document.getElementById("note_quote");
  if (!button || !field) return;
  button.hidden = false;
  var last = "";
  document.addEventListener("selectionchange", function () {
    var text = String(window.getSelection() || "").trim();
    if (text) last = text;  // tapping the button on a phone may clear the selection first
  });
  button.addEventListener("click", function () {
    var text = String(window.getSelection() || "").trim() || last;
    if (text) { field.value = text.slice(0, 300); field.focus(); }
  });
})();
