// The answer being written on the play page is kept in this tab's sessionStorage, so an answer
// that could not be sent (the session ended: sign in again, come back) is not lost. It is
// never sent anywhere; it goes when the answer is accepted, when the tab closes, or at sign-out.
(function () {
  "use strict";
  var PREFIX = "holding-space:draft:";
  var RESTORED = "Your answer was not sent before; it is back from this browser. Check it, then respond.";

  function storage() {
    try {
      return window.sessionStorage;
    } catch (refused) { // storage switched off: the page works as before, without drafts
      return null;
    }
  }

  function forgetAll(store, prefix, keep) {
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var key = store.key(i);
      if (key && key.indexOf(prefix) === 0 && key !== keep) {
        store.removeItem(key);
      }
    }
  }

  function restore(box, saved) {
    box.value = saved;
    // Where the moment offers a choice too, the kept words only count in "Write my own".
    var ownWords = box.form && box.form.querySelector("input[name=mode][value=free]");
    if (ownWords && !box.form.querySelector("input[name=mode]:checked")) {
      ownWords.checked = true;
      ownWords.dispatchEvent(new Event("change", {bubbles: true}));
    }
    var note = document.createElement("p");
    note.className = "hint draft-note";
    note.id = "draft-note";
    note.setAttribute("role", "status");
    note.textContent = RESTORED;
    box.parentNode.insertBefore(note, box);
  }

  function keep() {
    var store = storage();
    var play = document.getElementById("play");
    if (!store || !play) {
      return;
    }
    var prefix = PREFIX + window.location.pathname + "#";
    var turn = play.querySelector("form.answer-form input[name=turn]");
    var box = play.querySelector("form.answer-form textarea[name=response]");
    // A later moment (or an ending) means the earlier answers were accepted: forget them.
    var key = turn ? prefix + turn.value : null;
    forgetAll(store, prefix, key);
    if (!box || !key || box.dataset.draftKept) {
      return;
    }
    box.dataset.draftKept = "yes";
    var saved = store.getItem(key);
    if (saved && !box.value) {
      restore(box, saved);
    }
    box.addEventListener("input", function () {
      if (box.value) {
        store.setItem(key, box.value);
      } else {
        store.removeItem(key);
      }
    });
  }

  function forgetAtSignOut() {
    var store = storage();
    if (store) {
      forgetAll(store, PREFIX, null);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    keep();
    document.querySelectorAll("form[action$='/logout']").forEach(function (form) {
      form.addEventListener("submit", forgetAtSignOut);
    });
  });
  document.addEventListener("htmx:load", keep);
}());
