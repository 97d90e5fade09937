// The page's one script, inlined and allowed by its hash in the page's CSP. The page is complete
// without it; it adds each channel's open-now status, fills in calendar subscription links, and
// keeps the visitor's place when they switch language.
(function () {
  "use strict";
  var MINUTE = 60000;
  var DAY = 86400000;

  // The same rules as Python's str.format, which fills these strings in the build: {name} is a
  // value, and {{ or }} is a literal brace.
  function fill(template, values) {
    return template.replace(/\{\{|\}\}|\{(\w+)\}/g, function (whole, key) {
      return key ? values[key] : whole.charAt(0);
    });
  }

  // Open now. The build embeds every open span of the coming two years, computed by the same
  // code as the calendars, in UTC minutes: DST and holidays are already in them, and the visitor's
  // own zone never changes whether a channel is open, only how the times are shown.
  function openNow(data) {
    var words = data.strings;
    var end = data.end * MINUTE;
    var spans = {};
    Object.keys(data.schedules).forEach(function (id) {
      var list = data.schedules[id];
      var at = data.base;
      var out = [];
      for (var i = 0; i < list.length; i += 2) {
        var opens = at + list[i];
        at = opens + list[i + 1];
        out.push([opens * MINUTE, at * MINUTE]);
      }
      spans[id] = out;
    });
    var here = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var formats = {};

    function format(zone, options, locale) {
      var key = (locale || data.locale) + zone + JSON.stringify(options);
      if (!formats[key]) {
        formats[key] = new Intl.DateTimeFormat(locale || data.locale, Object.assign({ timeZone: zone }, options));
      }
      return formats[key];
    }

    // The calendar day an instant falls on in a zone, as a day count: digits in a fixed locale.
    function dayNumber(ms, zone) {
      var parts = {};
      format(zone, { year: "numeric", month: "numeric", day: "numeric" }, "en-US")
        .formatToParts(new Date(ms))
        .forEach(function (part) {
          parts[part.type] = part.value;
        });
      return Date.UTC(+parts.year, parts.month - 1, +parts.day) / DAY;
    }

    function when(ms, now, zone) {
      var days = dayNumber(ms, zone) - dayNumber(now, zone);
      var time = format(zone, data.time).format(new Date(ms));
      if (days === 0) return fill(words.when_today, { time: time });
      if (days === 1) return fill(words.when_tomorrow, { time: time });
      var options = days < 7 ? { weekday: "long" } : { weekday: "long", day: "numeric", month: "long" };
      return fill(words.when_day, { day: format(zone, options).format(new Date(ms)), time: time });
    }

    // A moment in the schedule's time, and in the visitor's too when that reads differently.
    function moment(ms, now, zone) {
      var theirs = when(ms, now, zone);
      var yours = when(ms, now, here);
      return yours === theirs ? theirs : theirs + " (" + fill(words.your_time, { when: yours }) + ")";
    }

    function state(id, now) {
      if (now < data.base * MINUTE || now >= end || !spans[id]) return null;
      var list = spans[id];
      for (var i = 0; i < list.length; i++) {
        if (now < list[i][0]) return { open: false, next: list[i][0] };
        if (now < list[i][1]) return { open: true, next: list[i][1] >= end ? null : list[i][1] };
      }
      return { open: false, next: null };
    }

    // While a season or a special day lasts, the status says so ("Summer hours until August 31").
    function notesAt(id, now) {
      return (data.notes[id] || [])
        .filter(function (note) {
          return (data.base + note[0]) * MINUTE <= now && now < (data.base + note[1]) * MINUTE;
        })
        .map(function (note) {
          return note[2];
        });
    }

    // The notice whose effect a channel is under now, if any: [starts, ends, kind, affects, id].
    function affecting(channel, now) {
      for (var i = 0; i < data.notices.length; i++) {
        var notice = data.notices[i];
        var current = notice[0] * MINUTE <= now && (notice[1] === null || now < notice[1] * MINUTE);
        for (var j = 0; current && j < notice[3].length; j++) {
          if (notice[3][j][0] === channel) return { notice: notice, effect: notice[3][j][1] };
        }
      }
      return null;
    }

    var announced = {};
    var firstPass = true;

    // Each notice by the clock: planned (maintenance, within the coming days), current, over (for a
    // few days), or hidden. One that becomes current while the page is open is said once.
    function showNotices(now) {
      document.querySelectorAll("section.notice").forEach(function (section) {
        var starts = section.getAttribute("data-starts") * MINUTE;
        var ends = section.hasAttribute("data-ends") ? section.getAttribute("data-ends") * MINUTE : null;
        var state = "hidden";
        if (now < starts) {
          if (section.getAttribute("data-kind") === "maintenance" && starts - now <= data.planned_days * DAY) state = "planned";
        } else if (ends === null || now < ends) {
          state = "current";
        } else if (now < ends + data.over_days * DAY) {
          state = "over";
        }
        section.hidden = state === "hidden";
        ["planned", "current", "over"].forEach(function (name) {
          section.classList.toggle(name, state === name);
        });
        var tag = section.querySelector(".notice-clock");
        if (!tag) {
          tag = document.createElement("span");
          tag.className = "notice-state notice-clock";
          section.querySelector(".notice-tags").append(" ", tag);
        }
        tag.textContent = state === "planned" ? words.notice_planned : state === "over" ? words.notice_over : "";
        if (!section.querySelector(".notice-yours")) yourWindow(section, starts, ends);
        var cancelled = section.hasAttribute("data-cancelled");
        if (state === "current" && !cancelled && !announced[section.id]) {
          announced[section.id] = true;
          if (!firstPass) {
            var title = section.querySelector("h2").textContent;
            document.getElementById("_notice-live").textContent =
              fill(words.labelled, { label: section.querySelector(".notice-tag").textContent }) + " " + title;
          }
        }
      });
      firstPass = false;
    }

    // The window in the visitor's own time, when their clock reads it differently.
    function yourWindow(section, starts, ends) {
      var options = Object.assign({ weekday: "long", day: "numeric", month: "long" }, data.time);
      function both(zone) {
        var from = format(zone, options).format(new Date(starts));
        if (ends === null) return from;
        // The end's day is said only when it is another day.
        var sameDay = dayNumber(starts, zone) === dayNumber(ends, zone);
        var to = format(zone, sameDay ? data.time : options).format(new Date(ends));
        return fill(words.notice_window, { starts: from, ends: to });
      }
      var yours = both(here);
      if (yours === both(data.zone)) return;
      var line = document.createElement("span");
      line.className = "notice-yours";
      line.textContent = " (" + fill(words.your_time, { when: yours }) + ")";
      section.querySelector(".notice-window").append(line);
    }

    function update() {
      var now = Date.now();
      specialDays(now, words.today);
      showNotices(now);
      document.querySelectorAll(".channel-notice").forEach(function (line) {
        var found = affecting(line.parentNode.getAttribute("data-channel"), now);
        line.hidden = !found || found.notice[4] !== line.getAttribute("data-notice");
      });
      document.querySelectorAll("[data-channel] .status").forEach(function (item) {
        var id = item.getAttribute("data-schedule");
        var zone = data.zones[id] || data.zone;
        var text = item.querySelector(".status-text");
        var under = affecting(item.closest("[data-channel]").getAttribute("data-channel"), now);
        if (under) {
          // A notice decides: "Unavailable (maintenance) until 12:00 PM".
          var ends = under.notice[1];
          var until = ends === null ? "" : " " + fill(words.effect_until, { when: moment(ends * MINUTE, now, data.zone) });
          var effect = document.createElement("strong");
          effect.textContent = words["effect_" + under.effect];
          text.textContent = "";
          // The kind before the time, which may carry the visitor's own in parentheses too.
          text.append(effect, " (" + words["kind_" + under.notice[2]] + ")" + until);
          item.setAttribute("data-state", under.effect);
          item.parentNode.hidden = false;
          return;
        }
        var known = state(id, now);
        if (!known) {
          // Past the embedded horizon: claim nothing; the hours in words still stand.
          item.removeAttribute("data-state");
          text.textContent = "";
          return;
        }
        var phrase = "";
        if (known.open) {
          phrase = known.next === null ? words.always_open : fill(words.closes, { when: moment(known.next, now, zone) });
        } else if (known.next !== null) {
          phrase = fill(words.opens, { when: moment(known.next, now, zone) });
        }
        var strong = document.createElement("strong");
        strong.textContent = known.open ? words.status_open : words.status_closed;
        var said = [phrase].concat(notesAt(id, now)).filter(Boolean);
        text.textContent = "";
        text.append(strong, said.length ? " · " + said.join(" · ") : "");
        item.setAttribute("data-state", known.open ? "open" : "closed");
        item.parentNode.hidden = false;
      });
    }

    update();
    setInterval(update, 30000);
  }

  // Special days are listed from the build date on: the visitor sees those not over yet (within
  // `data-ahead` days, where the list says so), today's marked. A list left empty is hidden.
  function specialDays(now, todayTag) {
    document.querySelectorAll(".special-days").forEach(function (list) {
      var ahead = list.hasAttribute("data-ahead") ? now + list.getAttribute("data-ahead") * DAY : Infinity;
      var shown = 0;
      list.querySelectorAll("li[data-starts]").forEach(function (item) {
        var starts = item.getAttribute("data-starts") * MINUTE;
        var ends = item.getAttribute("data-ends") * MINUTE;
        var today = starts <= now && now < ends;
        item.hidden = now >= ends || starts > ahead;
        item.classList.toggle("today", today);
        var tag = item.querySelector(".today-tag");
        if (today && !tag) {
          tag = document.createElement("strong");
          tag.className = "today-tag";
          tag.textContent = todayTag;
          item.prepend(tag, " ");
        } else if (!today && tag) {
          tag.nextSibling.remove(); // the space after it
          tag.remove();
        }
        if (!item.hidden) shown++;
      });
      list.hidden = shown === 0;
    });
  }

  // Without a base URL the build cannot know the feeds' absolute addresses, which subscriptions
  // need; the page knows its own, so it fills them in. The download link works without this.
  function calendarLinks() {
    if (location.protocol !== "https:" && location.protocol !== "http:") return;
    var google = "https://calendar.google.com/calendar/r?cid=";
    document.querySelectorAll("a[data-feed][hidden]").forEach(function (link) {
      var webcal = new URL(link.getAttribute("data-feed"), location.href).href.replace(/^https?:/, "webcal:");
      var isGoogle = link.classList.contains("add-to-google");
      var href = isGoogle ? google + encodeURIComponent(webcal) : webcal;
      if (isGoogle && href.length > 256) return;
      link.href = href;
      link.hidden = false;
    });
  }

  // Every language's page has the same ids (they come from the content), so the link to another
  // language carries the part of the page the visitor is reading.
  // The place is the element across the line where anchors land (just below the sticky header).
  function place() {
    var line = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target) {
      var shown = target.getBoundingClientRect();
      if (shown.top < window.innerHeight && shown.bottom > line) return target.id;
    }
    if (window.scrollY < 8) return "";
    var items = document.querySelectorAll("main [id]");
    for (var i = 0; i < items.length; i++) {
      var box = items[i].getBoundingClientRect();
      if (box.height > 0 && box.bottom > line + 4) return items[i].id;
    }
    return "";
  }

  function keepPlace() {
    document.querySelectorAll(".languages a[hreflang]").forEach(function (link) {
      link.addEventListener("click", function () {
        var id = place();
        link.href = link.href.split("#")[0] + (id ? "#" + id : "");
      });
    });
  }

  var source = document.getElementById("_open-now-data");
  if (source) openNow(JSON.parse(source.textContent));
  calendarLinks();
  keepPlace();

  // The offline worker (generator/outputs/offline.py), where the page names one. A browser that
  // cannot (a private window, file://) simply goes without.
  var worker = document.documentElement.getAttribute("data-worker");
  if (worker && "serviceWorker" in navigator) navigator.serviceWorker.register(worker).catch(function () {});
})();
