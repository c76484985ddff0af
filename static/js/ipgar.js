// Small behaviour shared by every page. No inline scripts: the CSP forbids them.
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  var message = status === 403 ? "U heeft geen toestemming voor deze handeling."
    : status === 404 ? "Dit onderdeel bestaat niet (meer)."
    : "Er ging iets mis bij het opslaan. Uw invoer is niet verloren; probeer het opnieuw.";
  var box = document.getElementById("htmx-fout");
  if (!box) {
    box = document.createElement("div");
    box.id = "htmx-fout";
    box.className = "alert alert-danger position-fixed bottom-0 end-0 m-3";
    box.setAttribute("role", "alert");
    document.body.appendChild(box);
  }
  box.textContent = message;
});

// Formsets: "Nog een persoon" clones the empty form and renumbers it.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-add-person]");
  if (!button) return;
  var container = document.getElementById("personen");
  var template = document.getElementById("persoon-sjabloon");
  var prefix = container.dataset.prefix;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var index = parseInt(total.value, 10);
  var html = template.innerHTML.replace(/__prefix__/g, String(index))
    .replace(/__nummer__/g, String(index + 1));
  container.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  var first = container.lastElementChild.querySelector("input");
  if (first) first.focus();
});

// "Afdrukken" buttons (the case summary): the print stylesheet leaves only the content.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});

// A form that comes back from HTMX with errors: focus the first invalid field, so keyboard and
// screen-reader users land on what needs fixing (its error is linked by aria-describedby).
// After an outerHTML swap the old target is gone; its replacement carries the same id.
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail.target;
  if (target && !target.isConnected) target = target.id ? document.getElementById(target.id) : null;
  var invalid = target ? target.querySelector("[aria-invalid='true']") : null;
  if (invalid && document.activeElement !== invalid) invalid.focus();
});

// Decision forms in the minutes: show only the fields of the chosen decision kind, and offer
// only the regisseurs of the organisation chosen first ("beste kaarten").
function ipgarDecisionForm(form) {
  var kind = form.querySelector("select[name$='-kind']");
  var organisation = form.querySelector("select[name$='-organisation']");
  var regisseur = form.querySelector("select[name$='-regisseur']");
  if (kind) {
    form.querySelectorAll("[data-decision-kinds]").forEach(function (part) {
      part.hidden = part.dataset.decisionKinds.split(" ").indexOf(kind.value) === -1;
    });
  }
  if (organisation && regisseur) {
    Array.prototype.forEach.call(regisseur.options, function (option) {
      if (!option.value) return;
      var fits = !organisation.value || option.dataset.organisation === organisation.value;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) regisseur.value = "";
    });
  }
}
document.addEventListener("change", function (event) {
  var form = event.target.closest("[data-decision-form]");
  if (form) ipgarDecisionForm(form);
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-decision-form]").forEach(ipgarDecisionForm);
});

// WCAG 1.4.10 and 2.1.1: a table wider than the window scrolls inside its .table-responsive box.
// While it does, the box takes keyboard focus (arrow keys scroll it) and is named after the
// table's caption or the heading above it; a box that fits stays out of the tab order.
function tableName(box) {
  var caption = box.querySelector("caption");
  if (caption) return caption.textContent.trim();
  var node = box.previousElementSibling;
  while (node && !/^H[1-6]$/.test(node.tagName)) node = node.previousElementSibling;
  return node ? node.textContent.trim() : "Tabel";
}

function markScrollingTables() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    var scrolls = box.scrollWidth > box.clientWidth;
    if (scrolls && !box.hasAttribute("data-scrolls")) {
      box.setAttribute("data-scrolls", "");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", tableName(box) + " (horizontaal scrollbaar)");
    } else if (!scrolls && box.hasAttribute("data-scrolls")) {
      ["data-scrolls", "tabindex", "role", "aria-label"].forEach(function (name) {
        box.removeAttribute(name);
      });
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollingTables);
document.addEventListener("htmx:afterSettle", markScrollingTables);
window.addEventListener("resize", function () { window.requestAnimationFrame(markScrollingTables); });
