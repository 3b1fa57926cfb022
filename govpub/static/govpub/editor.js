/* GovPub rich-text editor: a small contenteditable editor over a plain <textarea data-rich>.
 * Without JavaScript the textarea still works (HTML source). The server sanitises every save
 * (govpub.content.sanitize), so this editor only has to be convenient, never trusted.
 * Pasted HTML (Word, WPS, web pages) and 一键排版 go to the server, which answers with the HTML the body
 * will store (govpub.content.paste / typeset); without an answer the paste is plain text, as before. */
(function () {
  "use strict";

  var script = document.currentScript;
  var CLEAN_URL = script && script.getAttribute("data-clean-url");
  var TYPESET_URL = script && script.getAttribute("data-typeset-url");

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

    var status = document.createElement("p");
    status.className = "rich-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    function say(message) { status.textContent = message; }
    var csrf = csrfToken(textarea.form);
    var editor = { area: area, textarea: textarea, sync: sync, say: say, csrf: csrf,
                   showingSource: function () { return showingSource; } };

    area.addEventListener("input", sync);
    area.addEventListener("blur", sync);
    // Image files on the clipboard are the image upload's to take first (it returns true when it did).
    var handleImagePaste = null;
    area.addEventListener("paste", function (event) {
      if (handleImagePaste && handleImagePaste(event)) { return; }
      pasteHtmlOrText(event, editor);
    });
    addTypesetButtons(toolbar, editor);
    if (textarea.form) {
      textarea.form.addEventListener("submit", function () { if (!showingSource) { sync(); } });
    }

    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    wrapper.appendChild(textarea);
    wrapper.appendChild(status);
    textarea.hidden = true;
  }

  // ---- talking to the server: JSON in, JSON out; the answer's Chinese "detail" is what the writer reads ----

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function postHtml(url, csrf, html) {
    if (!url || !window.fetch) { return Promise.reject(new Error("浏览器不支持")); }
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ html: html })
    }).then(function (response) {
      if (response.redirected) { throw new Error("登录已过期，请在新窗口重新登录"); }
      return response.json().catch(function () {
        throw new Error("服务器未能处理，状态 " + response.status);
      }).then(function (answer) {
        if (!response.ok || typeof answer.html !== "string") {
          throw new Error(answer.detail || ("服务器未能处理，状态 " + response.status));
        }
        return answer;
      });
    });
  }

  function sentence(message) {
    return /[。！？]$/.test(message) ? message : message + "。";
  }

  // ---- paste: Word/WPS/web HTML keeps its structure, cleaned by the server; anything else is plain text ----

  function pasteHtmlOrText(event, editor) {
    var data = event.clipboardData;
    if (!data) { return; }
    event.preventDefault();
    var html = data.getData("text/html");
    var text = data.getData("text/plain");
    if (!html) { insertPlainText(text, editor); return; }
    var caret = saveCaret(editor.area);
    editor.area.setAttribute("aria-busy", "true");
    editor.say("正在整理粘贴的内容……");
    postHtml(CLEAN_URL, editor.csrf, html).then(function (answer) {
      restoreCaret(editor.area, caret);
      document.execCommand("insertHTML", false, answer.html);
      editor.sync();
      editor.say(answer.notes && answer.notes.length ? "已粘贴并保留格式。" + answer.notes.join("") : "已粘贴并保留格式。");
    }).catch(function (error) {
      restoreCaret(editor.area, caret);
      insertPlainText(text, editor);
      editor.say("已按纯文本粘贴，未能保留原格式：" + sentence(error.message));
    }).then(function () { editor.area.removeAttribute("aria-busy"); });
  }

  function insertPlainText(text, editor) {
    document.execCommand("insertText", false, text || "");
    editor.sync();
  }

  function saveCaret(area) {
    var selection = window.getSelection();
    if (!selection || !selection.rangeCount) { return null; }
    var range = selection.getRangeAt(0);
    return area.contains(range.commonAncestorContainer) ? range.cloneRange() : null;
  }

  function restoreCaret(area, range) {
    area.focus();
    if (!range) { return; }
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // ---- 一键排版 and 撤销排版: the body before typesetting is kept until the writer edits again ----

  function addTypesetButtons(toolbar, editor) {
    var before = null;
    var run = toolButton("一键排版", "一键排版（删除空段落、规范标点与数字、设置层次标题）");
    var undo = toolButton("撤销排版", "撤销排版，恢复排版前的正文");
    undo.disabled = true;
    function forgetUndo() { before = null; undo.disabled = true; }
    editor.area.addEventListener("input", forgetUndo);
    editor.textarea.addEventListener("input", forgetUndo);

    run.addEventListener("click", function () {
      if (!editor.showingSource()) { editor.sync(); }
      var current = editor.textarea.value;
      run.disabled = true;
      editor.say("正在排版……");
      postHtml(TYPESET_URL, editor.csrf, current).then(function (answer) {
        if (answer.html === current) { editor.say("正文已符合排版要求，无需改动。"); return; }
        before = current;
        setBody(editor, answer.html);
        undo.disabled = false;
        editor.say("已完成一键排版。如不满意，请在继续修改前点“撤销排版”。");
      }).catch(function (error) {
        editor.say("正文未改动，未能排版：" + sentence(error.message));
      }).then(function () { run.disabled = false; });
    });

    undo.addEventListener("click", function () {
      if (before === null) { return; }
      setBody(editor, before);
      forgetUndo();
      editor.say("已撤销排版，正文恢复为排版前的内容。");
    });
    toolbar.appendChild(run);
    toolbar.appendChild(undo);
  }

  function toolButton(text, label) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = text;
    button.setAttribute("aria-label", label);
    button.title = label;
    return button;
  }

  function setBody(editor, html) {
    editor.textarea.value = html;
    editor.area.innerHTML = html;
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
