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
    { cmd: "image", label: "插入图片（也可将图片拖入或粘贴到正文）", text: "图片" },
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
    var images = setupImages(textarea, area, function () { sync(); });

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
        if (tool.cmd === "image") { images.choose(); return; }
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
    // Image files on the clipboard never get here: setupImages's own paste listener, registered first, takes them.
    area.addEventListener("paste", function (event) { pasteHtmlOrText(event, editor); });
    addTypesetButtons(toolbar, editor);
    if (textarea.form) {
      textarea.form.addEventListener("submit", function () { if (!showingSource) { sync(); } });
    }

    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(images.status);
    wrapper.appendChild(area);
    wrapper.appendChild(textarea);
    wrapper.appendChild(status);
    wrapper.appendChild(images.picker);
    wrapper.appendChild(images.dialog);
    textarea.hidden = true;
  }

  /* --- images: toolbar button, drag-and-drop and pasted image files --------------------------------------
   * Each image is uploaded at once (POST data-image-upload; no revision is made until the body is saved),
   * after the editor has given its alternative text; then <figure><img alt><figcaption> or <p><img alt> is
   * inserted. A new item has no upload address yet: it is saved as a draft first (then=edit). */
  var IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif"];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function imageFiles(list) {
    var files = [];
    for (var i = 0; list && i < list.length; i++) {
      var f = list[i].kind === "file" ? list[i].getAsFile() : list[i];
      if (f && /^image\//.test(f.type)) { files.push(f); }
    }
    return files;
  }

  function setupImages(textarea, area, changed) {
    var uploadUrl = textarea.getAttribute("data-image-upload");
    var form = textarea.form;
    var base = textarea.id + "-image";
    var status = el("p", { "class": "rich-status", role: "status", "aria-live": "polite", id: base + "-status",
                           "aria-label": "正文图片" });
    var picker = el("input", { type: "file", accept: IMAGE_TYPES.join(","), hidden: "", "aria-hidden": "true",
                               tabindex: "-1" });
    var dialog = el("dialog", { "class": "image-dialog", "aria-labelledby": base + "-title" });
    var pending = [], range = null, editing = null;

    dialog.innerHTML =
      '<form method="dialog" novalidate><h2 id="' + base + '-title"></h2><p class="image-dialog-note"></p>' +
      '<div class="field image-fields"><label for="' + base + '-alt">替代文字（必填）</label>' +
      '<input id="' + base + '-alt" type="text" maxlength="200" required aria-describedby="' + base + '-alt-help ' + base + '-alt-error">' +
      '<p class="help" id="' + base + '-alt-help">简要说明图片内容，供使用读屏软件的读者了解，如“区政务服务中心办事大厅”。</p>' +
      '<p class="error" id="' + base + '-alt-error" role="alert"></p></div>' +
      '<div class="field image-fields image-caption"><label for="' + base + '-caption">图片说明（可选，显示在图片下方）</label>' +
      '<input id="' + base + '-caption" type="text" maxlength="200"></div>' +
      '<p class="actions"><button type="submit" value="ok"></button>' +
      '<button type="submit" value="cancel" class="secondary">取消</button></p></form>';
    var title = dialog.querySelector("h2"), note = dialog.querySelector(".image-dialog-note");
    var alt = dialog.querySelector("#" + base + "-alt"), caption = dialog.querySelector("#" + base + "-caption");
    var altError = dialog.querySelector("#" + base + "-alt-error"), ok = dialog.querySelector("button[value=ok]");
    var fields = dialog.querySelectorAll(".image-fields");

    function say(text) { status.textContent = text; }

    function keepPlace() {
      var sel = window.getSelection();
      range = sel && sel.rangeCount && area.contains(sel.getRangeAt(0).commonAncestorContainer) ? sel.getRangeAt(0).cloneRange() : null;
    }

    function open(mode, file) {
      title.textContent = { draft: "先保存草稿", insert: "插入图片", edit: "修改图片的替代文字" }[mode];
      note.textContent = mode === "draft" ? "新稿件须先保存为草稿，才能上传正文图片。保存后回到编辑页，请再插入图片。" :
        mode === "insert" ? "图片“" + file.name + "”" : "";
      ok.textContent = { draft: "保存草稿并继续编辑", insert: "上传并插入", edit: "确定" }[mode];
      for (var i = 0; i < fields.length; i++) { fields[i].hidden = mode === "draft" || (mode === "edit" && i > 0); }
      alt.required = mode !== "draft";
      alt.value = mode === "edit" ? editing.getAttribute("alt") || "" : "";
      caption.value = "";
      altError.textContent = "";
      dialog.dataset.mode = mode;
      if (dialog.showModal) { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
      (mode === "draft" ? ok : alt).focus();
    }

    function next() {
      if (!dialog.open && pending.length) { open("insert", pending[0]); }
    }

    function accept(files) {
      if (!uploadUrl) { open("draft"); return; }
      var refused = files.filter(function (f) { return IMAGE_TYPES.indexOf(f.type) < 0; });
      if (refused.length) { say("“" + refused[0].name + "”不是 JPEG、PNG 或 GIF 图片，未插入（SVG 等格式请先转换）。"); }
      pending = pending.concat(files.filter(function (f) { return IMAGE_TYPES.indexOf(f.type) >= 0; }));
      next();
    }

    function insert(reply, altText, captionText) {
      var img = '<img src="' + escapeHtml(reply.url) + '" alt="' + escapeHtml(altText) + '">';
      var html = captionText ? "<figure>" + img + "<figcaption>" + escapeHtml(captionText) + "</figcaption></figure>" :
        "<p>" + img + "</p>";
      area.focus();
      var sel = window.getSelection();
      if (range) { sel.removeAllRanges(); sel.addRange(range); } else {
        var end = document.createRange();
        end.selectNodeContents(area);
        end.collapse(false);
        sel.removeAllRanges();
        sel.addRange(end);
      }
      document.execCommand("insertHTML", false, html);
      keepPlace();
      changed();
    }

    function upload(file, altText, captionText) {
      var data = new FormData();
      data.append("image", file, file.name || "粘贴的图片.png");
      data.append("alt", altText);
      var token = form && form.querySelector("[name=csrfmiddlewaretoken]");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", uploadUrl);
      if (token) { xhr.setRequestHeader("X-CSRFToken", token.value); }
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) { say("正在上传图片“" + file.name + "”：" + Math.round(e.loaded * 100 / e.total) + "%"); }
      };
      xhr.onload = function () {
        var reply = null;
        try { reply = JSON.parse(xhr.responseText); } catch (err) { reply = null; }
        if (xhr.status === 201 && reply) {
          insert(reply, altText, captionText);
          say("图片“" + file.name + "”已上传并插入正文。保存稿件后生效。");
        } else {
          say("图片“" + file.name + "”上传失败：" + (reply && reply.error ? reply.error :
            xhr.status === 403 ? "没有权限（请刷新页面后重试）。" : "服务器错误（" + xhr.status + "），请稍后重试。"));
        }
        next();
      };
      xhr.onerror = function () { say("图片“" + file.name + "”上传失败：网络连接中断，请检查网络后重试。"); next(); };
      say("正在上传图片“" + file.name + "”…");
      xhr.send(data);
    }

    dialog.addEventListener("close", function () {
      var mode = dialog.dataset.mode, confirmed = dialog.returnValue === "ok";
      dialog.returnValue = "";
      if (mode === "draft") {
        pending = [];
        if (confirmed && form) {
          form.appendChild(el("input", { type: "hidden", name: "then", value: "edit" }));
          if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
        }
      } else if (mode === "edit") {
        if (confirmed) { editing.setAttribute("alt", alt.value.trim()); changed(); say("已修改图片的替代文字。"); }
        editing = null;
      } else {
        var file = pending.shift();
        if (confirmed) { upload(file, alt.value.trim(), caption.value.trim()); return; }
        say("已取消插入图片“" + file.name + "”。");
        next();
      }
    });
    dialog.querySelector("form").addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.value === "ok" && alt.required && !alt.value.trim()) {
        event.preventDefault();
        altError.textContent = "请填写替代文字：读屏软件的读者只能通过它了解图片内容。";
        alt.setAttribute("aria-invalid", "true");
        alt.focus();
      }
    });

    alt.addEventListener("input", function () { altError.textContent = ""; alt.removeAttribute("aria-invalid"); });
    picker.addEventListener("change", function () {
      accept(imageFiles(picker.files));
      picker.value = "";
    });
    area.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
        event.preventDefault();
      }
    });
    area.addEventListener("drop", function (event) {
      var files = event.dataTransfer ? Array.prototype.slice.call(event.dataTransfer.files) : [];
      if (!files.length) { return; }
      event.preventDefault();
      if (document.caretRangeFromPoint) {
        var at = document.caretRangeFromPoint(event.clientX, event.clientY);
        if (at && area.contains(at.startContainer)) { range = at; }
      }
      var pictures = imageFiles(files);
      if (!pictures.length) { say("只能拖入图片文件（JPEG、PNG、GIF）；其他文件请在“附件”中上传。"); return; }
      accept(pictures);
    });
    // Registered before the editor's own paste handler: an image file on the clipboard is uploaded, and the
    // text/HTML paste handling never sees it; any other paste goes on to that handler untouched.
    area.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      var files = data ? imageFiles(data.files && data.files.length ? data.files : data.items) : [];
      if (!files.length) { return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      keepPlace();
      accept(files);
    });
    area.addEventListener("click", function (event) {
      if (event.target.tagName === "IMG") { editing = event.target; open("edit"); }
    });

    return {
      status: status, picker: picker, dialog: dialog,
      choose: function () {
        keepPlace();
        if (!uploadUrl) { open("draft"); return; }
        picker.click();
      }
    };
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
