// Site-wide behaviour. Inline scripts are forbidden by the Content-Security-Policy, so all of it lives here.
// With JavaScript on, filter forms apply on change (htmx), so their "Apply" buttons are hidden.
document.documentElement.classList.add("js");

// A filter left at "any" sends an empty value; leave it out so the pushed URL (the permalink) stays short.
document.addEventListener("htmx:configRequest", function (event) {
  if (event.detail.verb !== "get") {
    return;
  }
  var parameters = event.detail.parameters;
  Object.keys(parameters).forEach(function (name) {
    if (parameters[name] === "") {
      delete parameters[name];
    }
  });
});
