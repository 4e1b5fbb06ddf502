// Progressive enhancement of the ballot: updates the budget bar (and the points left) as the voter
// ticks boxes or types points. The page works without it: "Check my choices" computes the same on
// the server. The sentences come translated from the page (data-template); the text is announced
// by screen readers (aria-live="polite").
(function () {
  "use strict";

  function formatNumber(value) {
    try {
      return new Intl.NumberFormat(document.documentElement.lang || undefined).format(value);
    } catch (error) {
      return String(value);
    }
  }

  function tally(form) {
    var total = 0;
    var points = 0;
    form.querySelectorAll("input[data-cost]").forEach(function (input) {
      var cost = parseInt(input.getAttribute("data-cost"), 10) || 0;
      if (input.type === "checkbox") {
        total += input.checked ? cost : 0;
      } else {
        var n = parseInt(input.value, 10) || 0;
        if (n > 0) {
          total += cost;
          points += n;
        }
      }
    });
    return { total: total, points: points };
  }

  function setup(form) {
    var budget = parseInt(form.getAttribute("data-budget"), 10) || 0;
    var maxPoints = parseInt(form.getAttribute("data-max-points"), 10) || 0;
    var meter = form.querySelector("#budget-meter");
    var text = form.querySelector("#budget-text");
    var pointsText = form.querySelector("#points-text");
    if (!meter || !text) {
      return;
    }

    function update() {
      var sums = tally(form);
      var over = sums.total > budget;
      meter.value = Math.min(sums.total, budget);
      var sentence = (text.getAttribute("data-template") || "").trim().replace("__USED__", formatNumber(sums.total));
      text.textContent = over ? sentence + " — " + text.getAttribute("data-over") : sentence;
      text.classList.toggle("errorlist", over);
      if (pointsText && maxPoints) {
        var left = maxPoints - sums.points;
        pointsText.textContent = (pointsText.getAttribute("data-template") || "").trim().replace("__LEFT__", String(left));
        pointsText.classList.toggle("errorlist", left < 0);
      }
    }

    form.addEventListener("change", update);
    form.addEventListener("input", update);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.ballot").forEach(setup);
  });
})();
