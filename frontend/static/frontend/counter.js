// Attendance counts on a phone: a "−" and a "+" button beside each number field
// marked data-counter, so a walk-in is one tap. Without JavaScript the field is typed.
"use strict";
document.querySelectorAll("input[data-counter]").forEach(function (input) {
  function step(by, label) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "step";
    button.textContent = by < 0 ? "−" : "+";
    button.setAttribute("aria-label", label);
    button.addEventListener("click", function () {
      var value = parseInt(input.value, 10);
      value = (isNaN(value) ? 0 : value) + by;
      var max = parseInt(input.max, 10);
      if (value < 0) value = 0;
      if (!isNaN(max) && value > max) value = max;
      input.value = String(value);
    });
    return button;
  }
  input.before(step(-1, input.dataset.less));
  input.after(step(1, input.dataset.more));
});
