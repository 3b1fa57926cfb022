/* GovPub rich-text editor: a small contenteditable editor over a plain <textarea data-rich>.
 * Without JavaScript the textarea still works (HTML source). The server sanitises every save
 * (govpub.content.sanitize), so this editor only has to be convenient, never trusted. */
(function () {
  "use strict";

  var TOOLS = [
    { cmd: "bold", label: "加粗", text: "B", key: "Ctrl+B" },
    { cmd: "italic", label: "斜体", text: "I", key: "Ctrl+I" },
    { cmd: "underline", label: "下划线", text: "U", key: "Ctrl+U" },
    { cmd: "formatBlock", arg: "H2", label: "二级标题", text: "标题" },
    { cmd: "formatBlock", arg: "H3", label: "三级标题", text: "小标题" },
    { cmd: "formatBlock", arg: "P", label: "正文段落", text: "段落" },
    { cmd: "insertUnorderedList", label: "项目列表", text: "• 列表" },
    { cmd: "insertOrderedList", label: "编号列表", text: "1. 列表" },
    { cmd: "createLink", label: "插入链接", text: "链接" },
    { cmd: "unlink", label: "取消链接", text: "取消链接" },
    { cmd: "removeFormat", label: "清除格式", text: "清除格式" },
    { cmd: "source", label: "切换到 HTML 源码", text: "源码" }
  ];

  function setup(textarea) {
    var wrapper = document.createElement("div");
    wrapper.className = "rich-editor";
    var toolbar = document.createElement("div");
    toolbar.className = "rich-toolbar";
    toolbar.setAttribute("role", "toolbar");
    var label = document.getElementById("label-" + textarea.id);
    toolbar.setAttribute("aria-label", (label ? label.textContent : "正文") + "格式工具");
    var area = document.createElement("div");
    area.className = "rich-area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    if (label) {
      area.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { area.focus(); });
    }
    area.innerHTML = textarea.value;

    function sync() { textarea.value = area.innerHTML; }
    var showingSource = false;

    TOOLS.forEach(function (tool) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = tool.text;
      button.setAttribute("aria-label", tool.label + (tool.key ? "（" + tool.key + "）" : ""));
      button.title = button.getAttribute("aria-label");
      if (tool.cmd === "source") { button.setAttribute("aria-pressed", "false"); }
      button.addEventListener("click", function () {
        if (tool.cmd === "source") {
          showingSource = !showingSource;
          if (showingSource) { sync(); } else { area.innerHTML = textarea.value; }
          textarea.hidden = !showingSource;
          area.hidden = showingSource;
          button.setAttribute("aria-pressed", showingSource ? "true" : "false");
          (showingSource ? textarea : area).focus();
          return;
        }
        if (showingSource) { return; }
        area.focus();
        var arg = tool.arg || null;
        if (tool.cmd === "createLink") {
          arg = window.prompt("链接地址（http:// 或 https:// 开头）", "https://");
          if (!arg || !/^(https?:\/\/|mailto:)/i.test(arg)) { return; }
        }
        document.execCommand(tool.cmd, false, arg);
        sync();
      });
      toolbar.appendChild(button);
    });

    area.addEventListener("input", sync);
    area.addEventListener("blur", sync);
    // Paste as plain text: foreign markup (Word styles, scripts) never enters the body.
    area.addEventListener("paste", function (event) {
      if (!event.clipboardData) { return; }
      event.preventDefault();
      document.execCommand("insertText", false, event.clipboardData.getData("text/plain"));
      sync();
    });
    if (textarea.form) {
      textarea.form.addEventListener("submit", function () { if (!showingSource) { sync(); } });
    }

    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    wrapper.appendChild(textarea);
    textarea.hidden = true;
  }

  function init() {
    var areas = document.querySelectorAll("textarea[data-rich]");
    for (var i = 0; i < areas.length; i++) { setup(areas[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
