// The embeddable status page's second script, after the page's own (page.js), allowed by its hash
// in the page's CSP. Framed by another site, it tells the frame's parent how tall the page is, on
// load, on resize and whenever its content changes height, so that the host may size the iframe to
// fit: parent.postMessage({canales: "height", height: <CSS pixels>}, "*"). The height is all it
// says, to whichever page frames it; docs/embed.md has the listener a host page adds.
(function () {
  "use strict";
  if (window.parent === window) return;
  var said = 0;
  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === said) return;
    said = height;
    window.parent.postMessage({ canales: "height", height: height }, "*");
  }
  window.addEventListener("load", post);
  window.addEventListener("resize", post);
  // The statuses the open-now script writes (and rewrites every 30 seconds) may change the height.
  if (window.ResizeObserver) new ResizeObserver(post).observe(document.documentElement);
})();
