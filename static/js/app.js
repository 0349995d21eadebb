// Site-wide behaviour. Inline scripts are forbidden by the Content-Security-Policy, so all of it lives here.
