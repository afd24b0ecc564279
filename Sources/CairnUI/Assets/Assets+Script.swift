extension Assets {
    /// The page script: MLflow-style `#/…` links, remembered columns, auto-refresh, chart hover values,
    /// sweep-group toggles, copy buttons and delete confirmations. Every page works without it; it only
    /// adds conveniences.
    static let js = """
        "use strict";
        (function () {
          var target = mlflowLink(location.hash);
          if (target) { location.replace(target); }
        })();

        // MLflow's UI routes live in the fragment (`/#/experiments/1/runs/abc`); the server never sees
        // them, so they are mapped to this server's pages here.
        function mlflowLink(hash) {
          if (!hash || hash.slice(0, 2) !== "#/") { return null; }
          var path = hash.slice(1).split("?")[0];
          var query = hash.indexOf("?") >= 0 ? hash.slice(hash.indexOf("?") + 1) : "";
          var parts = path.split("/").filter(function (p) { return p.length > 0; }).map(function (p) {
            try { return decodeURIComponent(p); } catch (e) { return p; }
          });
          var enc = encodeURIComponent;
          if (parts[0] === "experiments" && parts.length >= 4 && parts[2] === "runs") { return "/runs/" + enc(parts[3]); }
          if (parts[0] === "experiments" && parts.length >= 4 && parts[2] === "models") {
            return "/logged-models/" + enc(parts[3]);
          }
          if (parts[0] === "experiments" && parts.length >= 2) { return "/experiments/" + enc(parts[1]); }
          if (parts[0] === "runs" && parts.length >= 2) { return "/runs/" + enc(parts[1]); }
          if (parts[0] === "models" && parts.length >= 4 && parts[2] === "versions") {
            return "/models/" + enc(parts[1]) + "/versions/" + enc(parts[3]);
          }
          if (parts[0] === "models" && parts.length >= 2) { return "/models/" + enc(parts[1]); }
          if (parts[0] === "models") { return "/models"; }
          if (parts[0] === "compare-runs") {
            var m = /(?:^|&)runs=([^&]*)/.exec(query);
            var ids = [];
            try { ids = m ? JSON.parse(decodeURIComponent(m[1])) : []; } catch (e) { ids = []; }
            if (!Array.isArray(ids) || !ids.length) { return null; }
            return "/compare?" + ids.map(function (id) { return "runs=" + enc(String(id)); }).join("&");
          }
          return null;
        }

        // Remembers the runs table's columns per experiment: a choice in the URL is saved, a visit
        // without one restores it, and "Reset to default columns" forgets it.
        function rememberColumns() {
          var view = document.getElementById("runs-view");
          if (!view || !window.localStorage) { return; }
          var key = "cairn.columns." + view.dataset.exp;
          if (view.dataset.cols === "chosen") { localStorage.setItem(key, view.dataset.colquery); return; }
          if (view.dataset.cols === "reset") { localStorage.removeItem(key); return; }
          var saved = localStorage.getItem(key);
          if (saved) {
            var search = location.search ? location.search.slice(1) + "&" : "";
            location.replace(location.pathname + "?" + search + saved);
          }
        }

        function autoRefresh() {
          var box = document.querySelector("input[data-autorefresh]");
          if (!box || !window.localStorage) { return; }
          var timer = null;
          function schedule() {
            if (timer) { clearTimeout(timer); timer = null; }
            if (box.checked) { timer = setTimeout(function () { location.reload(); }, 1000 * Number(box.dataset.autorefresh)); }
          }
          box.checked = localStorage.getItem("cairn.autorefresh") === "1";
          box.addEventListener("change", function () {
            localStorage.setItem("cairn.autorefresh", box.checked ? "1" : "0");
            schedule();
          });
          schedule();
        }

        document.addEventListener("DOMContentLoaded", function () {
          document.documentElement.classList.add("js");
          rememberColumns();
          autoRefresh();
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
          function show(x, left, top) {
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
            tip.style.left = Math.max(0, Math.min(left, fig.clientWidth - tip.offsetWidth - 4)) + "px";
            tip.style.top = top + "px";
          }
          svg.addEventListener("mousemove", function (e) {
            var box = svg.getBoundingClientRect();
            var x = (e.clientX - box.left) * svg.viewBox.baseVal.width / box.width;
            var f = fig.getBoundingClientRect();
            show(x, e.clientX - f.left + 14, e.clientY - f.top + 14);
          });
          // Keyboard: focus the chart, then Left/Right walk through the points of the longest series.
          var longest = series.reduce(function (a, s) { return s.pts.length > a.pts.length ? s : a; }, { pts: [] });
          var index = -1;
          svg.setAttribute("tabindex", "0");
          svg.addEventListener("keydown", function (e) {
            if (!longest.pts.length || (e.key !== "ArrowLeft" && e.key !== "ArrowRight")) { return; }
            e.preventDefault();
            if (index < 0) { index = longest.pts.length - 1; }
            index = Math.max(0, Math.min(longest.pts.length - 1, index + (e.key === "ArrowRight" ? 1 : -1)));
            var box = svg.getBoundingClientRect();
            var x = longest.pts[index][0];
            show(x, x * box.width / svg.viewBox.baseVal.width + 14, 40);
          });
          svg.addEventListener("blur", function () { tip.hidden = true; cursor.setAttribute("visibility", "hidden"); });
          svg.addEventListener("mouseleave", function () { tip.hidden = true; cursor.setAttribute("visibility", "hidden"); });
        }
        """
}
