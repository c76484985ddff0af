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
