// Draws every server-built Plotly figure: on first load, after each htmx swap and after a history restore.
// The figure JSON sits in a <script type="application/json" data-figure> block beside an empty plot <div>;
// the Content-Security-Policy forbids inline scripts, so this file is the only code that runs.
(function () {
  "use strict";

  var CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function chartsUnder(root) {
    var found = Array.prototype.slice.call(root.querySelectorAll ? root.querySelectorAll("[data-chart]") : []);
    if (root.matches && root.matches("[data-chart]")) {
      found.unshift(root);
    }
    return found;
  }

  function draw(card) {
    var block = card.querySelector("script[data-figure]");
    var plot = card.querySelector(".chart-plot");
    if (!block || !plot) {
      return;
    }
    var figure = JSON.parse(block.textContent);
    if (!plot._fullLayout) {
      // A history snapshot holds the drawn SVG but none of Plotly's state: start from an empty div.
      plot.replaceChildren();
    }
    Plotly.react(plot, figure.data, figure.layout, CONFIG);
  }

  function purge(root) {
    chartsUnder(root).forEach(function (card) {
      var plot = card.querySelector(".chart-plot");
      if (plot && plot._fullLayout) {
        Plotly.purge(plot);
      }
    });
  }

  htmx.onLoad(function (root) {
    chartsUnder(root).forEach(draw);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target) {
      purge(event.detail.target);
    }
  });
})();
