// Analyst workspace. Loaded with defer; the Content-Security-Policy forbids inline scripts.
// After a form comes back with errors (full page or htmx swap), move focus to the first field that needs fixing.
(function () {
  "use strict";

  function focusFirstError(root) {
    var invalid = root.querySelector ? root.querySelector('[aria-invalid="true"]') : null;
    if (invalid) {
      invalid.focus();
    }
  }

  if (window.htmx) {
    window.htmx.onLoad(focusFirstError);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      focusFirstError(document);
    });
  }
})();
