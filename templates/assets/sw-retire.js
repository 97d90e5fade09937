// The help site's offline worker, retired (`offline: false` in site.yaml). Browsers that installed
// the offline worker fetch this one in its place at their next visit: it deletes what the old one
// kept and unregisters itself, and from then on the site is served as if it had never had one.
"use strict";
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("canales-") === 0;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.registration.unregister(); })
  );
});
