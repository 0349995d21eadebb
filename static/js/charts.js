// Draws every server-built Plotly figure: on first load, after each htmx swap and after a history restore.
// The figure JSON sits in a <script type="application/json" data-figure> block beside an empty plot <div>;
// the Content-Security-Policy forbids inline scripts, so this file is the only code that runs.
(function () {
  "use strict";

  // PNG from Plotly's own camera button; SVG from a second one. Both draw the figure as the page shows it, so
  // the title, the source and its licence (in the subtitle) are inside the image.
  var SVG_BUTTON = {
    name: "svg",
    title: "Download plot as SVG",
    icon: { width: 1000, height: 1000, path: "M100 100h800v800h-800z M250 650l150-200 120 150 80-100 150 150z" },
    click: function (plot) {
      window.Plotly.downloadImage(plot, { format: "svg", filename: plot.getAttribute("data-filename") || "chart" });
    },
  };
  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
    modeBarButtonsToAdd: [SVG_BUTTON],
  };
  var drawn = new Set();

  function chartsUnder(root) {
    var found = Array.prototype.slice.call(root.querySelectorAll ? root.querySelectorAll("[data-chart]") : []);
    if (root.matches && root.matches("[data-chart]")) {
      found.unshift(root);
    }
    return found;
  }

  // Plotly never wraps a title or subtitle. The server wraps them for a wide screen; re-wrap them to the width
  // we have, and grow the top margin by the lines added (the title is anchored to the top of the chart).
  function rewrap(text, width, fontSize) {
    var perLine = Math.max(20, Math.floor(width / fontSize / 0.6));
    var lines = [];
    text.split("<br>").join(" ").split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= perLine) {
        lines[last] += " " + word;
      } else {
        lines.push(word);
      }
    });
    return lines;
  }

  function fitText(block, width, defaultSize, lineHeight, margin) {
    if (!block || !block.text) {
      return;
    }
    var serverLines = block.text.split("<br>").length;
    var lines = rewrap(block.text, width, (block.font && block.font.size) || defaultSize);
    block.text = lines.join("<br>");
    margin.t += lineHeight * (lines.length - serverLines);
  }

  function fitTitle(layout, width) {
    if (!layout.title || !layout.margin) {
      return;
    }
    fitText(layout.title, width, 16, 20, layout.margin);
    fitText(layout.title.subtitle, width, 11, 14, layout.margin);
  }

  function draw(card) {
    var block = card.querySelector("script[data-figure]");
    var plot = card.querySelector(".chart-plot");
    if (!block || !plot) {
      return;
    }
    var figure = JSON.parse(block.textContent);
    fitTitle(figure.layout, plot.clientWidth || card.clientWidth);
    if (!plot._fullLayout) {
      // A history snapshot holds the drawn SVG but none of Plotly's state: start from an empty div.
      plot.replaceChildren();
    }
    Plotly.react(plot, figure.data, figure.layout, CONFIG);
    drawn.add(plot);
  }

  // A history restore replaces the page without a swap event: release the charts it removed.
  function purgeDetached() {
    drawn.forEach(function (plot) {
      if (!plot.isConnected) {
        Plotly.purge(plot);
        drawn.delete(plot);
      }
    });
  }

  function purge(root) {
    chartsUnder(root).forEach(function (card) {
      var plot = card.querySelector(".chart-plot");
      if (plot && plot._fullLayout) {
        Plotly.purge(plot);
        drawn.delete(plot);
      }
    });
  }

  htmx.onLoad(function (root) {
    purgeDetached();
    chartsUnder(root).forEach(draw);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target) {
      purge(event.detail.target);
    }
  });
})();
