// The agenda page: drag and drop with SortableJS (vendored), saved in one request; and focus
// kept on a visible, enabled button after the agenda is swapped in place.
(function () {
  function wire() {
    var list = document.querySelector("[data-sortable-agenda]");
    if (!list || list.dataset.wired || typeof Sortable === "undefined") return;
    list.dataset.wired = "1";
    Sortable.create(list, {
      draggable: ".verplaatsbaar",
      handle: ".sleep-handvat",
      forceFallback: true, // mouse and touch alike, without the browser's drag image
      animation: 120,
      onEnd: function (event) {
        if (event.oldIndex === event.newIndex) return;
        var form = document.getElementById("volgorde-form");
        form.querySelectorAll("input[name='volgorde']").forEach(function (input) { input.remove(); });
        list.querySelectorAll(".verplaatsbaar").forEach(function (row) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = "volgorde";
          input.value = row.dataset.item;
          form.appendChild(input);
        });
        form.querySelector("input[name='punt']").value = event.item.dataset.item;
        form.requestSubmit();
      },
    });
  }

  var focusedId = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "agenda") {
      focusedId = document.activeElement ? document.activeElement.id : null;
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    wire();
    if (!focusedId || !document.getElementById("agenda")) return;
    var button = document.getElementById(focusedId);
    // "Omhoog" on the first item (or "Omlaag" on the last) is now disabled: its partner takes focus.
    if (button && button.disabled) {
      button = button.parentElement.querySelector("button:not([disabled])");
    }
    if (button) {
      if (document.activeElement !== button) button.focus({ preventScroll: true });
      button.scrollIntoView({ block: "nearest" });
    }
    focusedId = null;
  });
  document.addEventListener("DOMContentLoaded", wire);
})();
