// The help site's offline worker (generator/outputs/offline.py writes the two lists above this).
// After one visit it keeps every language's page, the help desk's cards and the calendars, so
// that a client whose network is down can still find the numbers.
//
// Pages, cards and calendars: network first, so an online visitor always gets the latest build;
// the cache answers only when the network does not. Fingerprinted files (a hash in the name)
// never change: cache first. Nothing else is touched: other addresses (data/, feeds, embed/, the
// editor) go to the network as if there were no worker, and nothing from another origin.
"use strict";
var CACHE = "canales-" + VERSION;
var SCOPE = self.registration.scope;
var KEPT = new Set(PRECACHE.map(function (path) { return new URL(path, SCOPE).href; }));
var FINGERPRINTED = /\.[0-9a-f]{10}\.[a-z]+$/;

self.addEventListener("install", function (event) {
  // A file that fails to load fails the install: the old worker (and its cache) stays.
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(Array.from(KEPT)); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("canales-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// A page is kept under its folder's address: es/ and es/index.html are one page.
function address(url) {
  return url.origin + url.pathname.replace(/\/index\.html$/, "/");
}

// "no-cache": the browser asks the server every time (a 304 when nothing changed), so that a page
// its HTTP cache still holds is never taken for the latest build.
function networkFirst(request, key) {
  return fetch(request, { cache: "no-cache" }).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(key).then(function (kept) { return kept || Response.error(); });
  });
}

function cacheFirst(request) {
  return caches.match(request.url).then(function (kept) {
    return kept || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(request.url, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.href.indexOf(SCOPE) !== 0) return;
  var key = address(url);
  if (KEPT.has(key) && !FINGERPRINTED.test(url.pathname)) {
    event.respondWith(networkFirst(request, key));
  } else if (FINGERPRINTED.test(url.pathname) && !url.search) {
    event.respondWith(cacheFirst(request));
  }
});
