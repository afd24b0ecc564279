extension Assets {
    /// The page script: chart hover values, sweep-group toggles, copy buttons and delete confirmations.
    /// Every page works without it; it only adds conveniences.
    static let js = """
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          document.documentElement.classList.add("js");
          document.querySelectorAll("button[data-toggle]").forEach(function (b) {
            b.addEventListener("click", function () {
              var open = b.getAttribute("aria-expanded") !== "true";
              b.setAttribute("aria-expanded", open ? "true" : "false");
              b.textContent = (open ? "\\u25BE " : "\\u25B8 ") + b.textContent.slice(2);
              document.querySelectorAll('tr.child[data-parent="' + b.dataset.toggle + '"]').forEach(function (r) {
                r.hidden = !open;
              });
            });
          });
          document.querySelectorAll("button[data-copy]").forEach(function (b) {
            b.addEventListener("click", function () {
              var input = document.getElementById(b.dataset.copy);
              input.select();
              if (navigator.clipboard) { navigator.clipboard.writeText(input.value); } else { document.execCommand("copy"); }
              b.textContent = "Copied";
              setTimeout(function () { b.textContent = "Copy"; }, 1500);
            });
          });
          document.querySelectorAll("form[data-confirm]").forEach(function (f) {
            f.addEventListener("submit", function (e) { if (!confirm(f.dataset.confirm)) { e.preventDefault(); } });
          });
          document.querySelectorAll("figure.chart").forEach(setUpChart);
        });

        function nearest(pts, x) {
          var lo = 0, hi = pts.length - 1;
          while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (pts[mid][0] < x) { lo = mid; } else { hi = mid; } }
          return Math.abs(pts[lo][0] - x) <= Math.abs(pts[hi][0] - x) ? pts[lo] : pts[hi];
        }

        function format(v) {
          if (Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3)) { return v.toExponential(3); }
          return String(Math.round(v * 1e6) / 1e6);
        }

        function setUpChart(fig) {
          var dataNode = fig.querySelector("script.chart-data");
          var svg = fig.querySelector("svg");
          var tip = fig.querySelector(".tooltip");
          var cursor = fig.querySelector("line.cursor");
          if (!dataNode || !svg || !tip || !cursor) { return; }
          var series = JSON.parse(dataNode.textContent).filter(function (s) { return s.pts.length > 0; });
          fig.dataset.series = String(series.length);
          svg.addEventListener("mousemove", function (e) {
            var box = svg.getBoundingClientRect();
            var vb = svg.viewBox.baseVal;
            var x = (e.clientX - box.left) * vb.width / box.width;
            var lines = [];
            var px = null;
            series.forEach(function (s) {
              var p = nearest(s.pts, x);
              if (px === null || Math.abs(p[0] - x) < Math.abs(px - x)) { px = p[0]; }
              lines.push('<span style="color:' + s.color + '">\\u25CF</span> ' + s.name.replace(/[&<>"]/g, function (c) {
                return "&#" + c.charCodeAt(0) + ";"; }) + ": " + format(p[3]) + " @ " + format(p[2]));
            });
            if (px === null) { return; }
            cursor.setAttribute("x1", px); cursor.setAttribute("x2", px); cursor.setAttribute("visibility", "visible");
            tip.innerHTML = lines.join("<br>");
            tip.hidden = false;
            var left = e.clientX - fig.getBoundingClientRect().left + 14;
            tip.style.left = Math.min(left, fig.clientWidth - tip.offsetWidth - 4) + "px";
            tip.style.top = (e.clientY - fig.getBoundingClientRect().top + 14) + "px";
          });
          svg.addEventListener("mouseleave", function () { tip.hidden = true; cursor.setAttribute("visibility", "hidden"); });
        }
        """
}
