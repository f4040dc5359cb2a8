// The play page's options: where a moment offers both a choice and words, only the section of the
// mode the trainee picked is shown; a ticked option can be cleared. Without JavaScript both
// sections stay visible and the mode question alone decides what counts (the server's rule).
(function () {
  "use strict";

  function textField(form) {
    var box = form.querySelector("textarea[name=response]");
    return box ? box.closest(".field") : null;
  }

  function showMode(form) {
    var picked = form.querySelector("input[name=mode]:checked");
    var choices = form.querySelector("#choices");
    var words = textField(form);
    if (!picked || !choices || !words) { // no mode yet: both stay in view
      return;
    }
    choices.hidden = picked.value !== "choice";
    words.hidden = picked.value !== "free";
  }

  function prepare() {
    document.querySelectorAll("form.answer-form").forEach(function (form) {
      form.querySelectorAll("[data-clear-choice]").forEach(function (button) {
        button.hidden = false;
      });
      showMode(form);
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.form || !target.form.classList.contains("answer-form")) {
      return;
    }
    if (target.name === "mode") {
      showMode(target.form);
    }
    var status = target.form.querySelector("[data-choice-status]");
    if (target.name === "choice" && status) {
      status.textContent = "";
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-clear-choice]") : null;
    if (!button || !button.form) {
      return;
    }
    button.form.querySelectorAll("input[name=choice]").forEach(function (option) {
      option.checked = false;
    });
    var status = button.form.querySelector("[data-choice-status]");
    if (status) {
      status.textContent = "No response is ticked now.";
    }
  });

  document.addEventListener("DOMContentLoaded", prepare);
  document.addEventListener("htmx:load", prepare);
}());
