// Development only: the server adds this to pages it serves. It reloads the page after each good
// build and shows content errors over the page, with the same file:line:col messages.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = new URL(script.src).searchParams.get("v") || "0";
  var events = new EventSource("/__canales__/events?since=" + version);
  var overlay = null;

  events.addEventListener("reload", function () {
    location.reload();
  });
  events.addEventListener("errors", function (event) {
    var errors = JSON.parse(event.data);
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "canales-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);" +
        "color:#fff;padding:1.5rem;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var heading = document.createElement("p");
    heading.style.cssText = "font-weight:bold;color:#ff8a80;margin:0 0 1rem";
    var shown = document.documentElement.hasAttribute("data-canales-problems")
      ? "nothing built yet."
      : "showing the last good build.";
    heading.textContent = errors.length + " problem(s) in the content; " + shown;
    var details = document.createElement("pre");
    details.style.cssText = "white-space:pre-wrap;margin:0";
    details.textContent = errors.join("\n\n");
    overlay.appendChild(heading);
    overlay.appendChild(details);
  });
})();
