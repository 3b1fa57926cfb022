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
    wrapper.appendChild(images.status);
    wrapper.appendChild(area);
    wrapper.appendChild(textarea);
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
