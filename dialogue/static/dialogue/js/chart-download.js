// "Download PNG" beside a server-drawn SVG chart: the browser draws the inline SVG on a
// canvas and saves it, so no server renders images and nothing loads from elsewhere. A
// file of its own: the Content-Security-Policy allows no inline script. Buttons stay
// hidden where the browser cannot do it (the SVG download is always there).
(function () {
  "use strict";

  function download(button) {
    var figure = document.getElementById(button.getAttribute("data-chart-png"));
    var svg = figure && figure.querySelector("svg");
    if (!svg) {
      return;
    }
    var width = parseInt(svg.getAttribute("width"), 10) || 800;
    var height = parseInt(svg.getAttribute("height"), 10) || 400;
    var source = new XMLSerializer().serializeToString(svg);
    var image = new Image();
    image.onload = function () {
      var scale = 2; // sharp on high-resolution screens and in documents
      var canvas = document.createElement("canvas");
      canvas.width = width * scale;
      canvas.height = height * scale;
      var context = canvas.getContext("2d");
      context.fillStyle = "#FFFFFF";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.scale(scale, scale);
      context.drawImage(image, 0, 0, width, height);
      canvas.toBlob(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = button.getAttribute("data-filename") || "chart.png";
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
      }, "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(source);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.HTMLCanvasElement || !HTMLCanvasElement.prototype.toBlob) {
      return;
    }
    document.querySelectorAll("[data-chart-png]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { download(button); });
    });
  });
})();
