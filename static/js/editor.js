// The scenario editor, enhanced: line numbers beside the YAML, a problem's link moves the
// caret to its line and column, and the text being written is kept in this tab's
// sessionStorage until a save brings it back from the server, so a save refused because the
// session ended (sign in again, come back) loses nothing. Without this script the text area
// and the problem list (with their line:column) still work; the live check is htmx.
(function () {
  "use strict";
  var box = document.getElementById("scenario-yaml");
  if (!box) {
    return;
  }
  var holder = box.parentNode;
  var gutter = document.createElement("pre");
  gutter.className = "line-numbers";
  gutter.setAttribute("aria-hidden", "true");
  holder.insertBefore(gutter, box);
  holder.classList.add("with-line-numbers");

  function renumber() {
    var count = box.value.split("\n").length;
    if (gutter.childElementCount === count) {
      return;
    }
    var lines = [];
    for (var i = 1; i <= count; i += 1) {
      lines.push(String(i));
    }
    gutter.textContent = lines.join("\n");
    gutter.scrollTop = box.scrollTop;
  }

  function offsetOf(line, column) {
    var lines = box.value.split("\n");
    var target = Math.min(Math.max(line, 1), lines.length);
    var offset = 0;
    for (var i = 0; i < target - 1; i += 1) {
      offset += lines[i].length + 1;
    }
    return offset + Math.min(Math.max(column - 1, 0), lines[target - 1].length);
  }

  function moveTo(line, column) {
    var offset = offsetOf(line, column);
    box.focus();
    box.setSelectionRange(offset, offset);
    var lineHeight = parseFloat(window.getComputedStyle(box).lineHeight) || 20;
    box.scrollTop = Math.max(0, (line - 3) * lineHeight);
    gutter.scrollTop = box.scrollTop;
  }

  var PREFIX = "holding-space:draft:";
  var NEW_KEY = PREFIX + "/supervise/scenarios/new#editor";
  var key = PREFIX + window.location.pathname + "#editor";

  function storage() {
    try {
      return window.sessionStorage;
    } catch (refused) { // storage switched off: the editor works as before, without keeping
      return null;
    }
  }

  function keepWriting(store) {
    var fromServer = box.value;
    if (store.getItem(NEW_KEY) === fromServer) {
      store.removeItem(NEW_KEY); // the new scenario's first save arrived
    }
    var kept = store.getItem(key);
    if (kept === null || kept === fromServer) {
      store.removeItem(key);
    } else {
      box.value = kept;
      var note = document.createElement("p");
      note.className = "message message-warning draft-note";
      note.setAttribute("role", "status");
      note.textContent = "Your text had not been saved; it is back from this browser. ";
      var undo = document.createElement("button");
      undo.type = "button";
      undo.className = "button";
      undo.textContent = "Show the saved text instead";
      undo.addEventListener("click", function () {
        box.value = fromServer;
        store.removeItem(key);
        note.remove();
        box.dispatchEvent(new Event("input", {bubbles: true}));
      });
      note.appendChild(undo);
      holder.parentNode.insertBefore(note, holder);
      box.dispatchEvent(new Event("input", {bubbles: true})); // check the restored text
    }
    box.addEventListener("input", function () { store.setItem(key, box.value); });
    document.querySelectorAll("form[action$='/logout']").forEach(function (form) {
      form.addEventListener("submit", function () { store.removeItem(key); });
    });
  }

  box.addEventListener("input", renumber);
  box.addEventListener("scroll", function () { gutter.scrollTop = box.scrollTop; });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".problem-link");
    if (!link) {
      return;
    }
    event.preventDefault();
    moveTo(parseInt(link.dataset.line, 10) || 1, parseInt(link.dataset.column, 10) || 1);
  });
  var store = storage();
  if (store) {
    keepWriting(store);
  }
  renumber();
}());
