// The supervisor's override form: choosing another criterion moves the level to that
// criterion's current level (the newest review's, else the engine's), so saving without
// touching the level never lowers it. Without JavaScript the first criterion starts there.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var criterion = event.target;
    if (!criterion.matches || !criterion.matches("select[data-current-levels]")) {
      return;
    }
    var levels = JSON.parse(criterion.getAttribute("data-current-levels"));
    var level = document.getElementById(criterion.id.replace(/^criterion-/, "level-"));
    if (level && Object.prototype.hasOwnProperty.call(levels, criterion.value)) {
      level.value = String(levels[criterion.value]);
    }
  });
})();
