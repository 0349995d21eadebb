// Site-wide behaviour. Inline scripts are forbidden by the Content-Security-Policy, so all of it lives here.
// With JavaScript on, filter forms apply on change (htmx), so their "Apply" buttons are hidden.
document.documentElement.classList.add("js");
