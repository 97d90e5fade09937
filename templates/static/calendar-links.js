// Without a base URL the build cannot know the feeds' absolute addresses, which subscriptions
// need; the page knows its own, so it fills them in. The download link works without this.
(function () {
  "use strict";
  if (location.protocol !== "https:" && location.protocol !== "http:") return;
  var google = "https://calendar.google.com/calendar/r?cid=";
  document.querySelectorAll("a[data-feed][hidden]").forEach(function (link) {
    var webcal = new URL(link.getAttribute("data-feed"), location.href).href.replace(/^https?:/, "webcal:");
    var href = link.classList.contains("add-to-google") ? google + encodeURIComponent(webcal) : webcal;
    if (href.length > 256 && link.classList.contains("add-to-google")) return;
    link.href = href;
    link.hidden = false;
  });
})();
