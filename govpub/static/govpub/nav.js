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
