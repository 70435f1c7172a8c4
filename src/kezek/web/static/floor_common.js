/* Kezek floor pages: what every console shares.
   - the page's data (JSON in #page-data, strings already in the page language);
   - api(): fetch() to /api/v1 with the session cookie, the page language, and the
     X-Requested-With header the server checks against cross-site requests;
   - live(): the centre's board event stream, with a visible connection state;
   - say()/fail(): the aria-live notice and error regions.
   No inline scripts anywhere: the Content-Security-Policy is script-src 'self'. */
(function () {
  "use strict";

  var node = document.getElementById("page-data");
  var data = node ? JSON.parse(node.textContent || "{}") : {};
  var strings = data.t || {};

  function t(key, params) {
    var text = strings[key] || key;
    if (params) {
      Object.keys(params).forEach(function (name) {
        text = text.split("{" + name + "}").join(String(params[name]));
      });
    }
    return text;
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { e.textContent = attrs[k]; }
      else if (k === "className") { e.className = attrs[k]; }
      else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }

  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }

  /* One request to the floor API. Resolves to {ok, status, body, error}; `error` is the
     envelope's {code, message} (message in the page language) or a network failure. */
  function api(method, path, body) {
    var init = {
      method: method,
      credentials: "same-origin",
      cache: "no-store",
      headers: {
        "Accept": "application/json",
        "Accept-Language": data.lang || document.documentElement.lang || "ru",
        "X-Requested-With": "kezek"
      }
    };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        var error = null;
        if (!response.ok) {
          error = (json && json.error) || { code: "http_" + response.status,
                                            message: t("net_error") };
        }
        return { ok: response.ok, status: response.status, body: json, error: error };
      });
    }, function () {
      return { ok: false, status: 0, body: null,
               error: { code: "network", message: t("net_error") } };
    });
  }

  var notice = document.getElementById("notice");
  var errorBox = document.getElementById("error");

  function say(text) {
    if (errorBox) { errorBox.hidden = true; errorBox.textContent = ""; }
    if (notice) { notice.textContent = text || ""; }
  }

  function fail(error) {
    var text = (error && error.message) || t("net_error");
    if (notice) { notice.textContent = ""; }
    if (errorBox) { errorBox.textContent = text; errorBox.hidden = false; }
    if (error && error.code === "unauthorized") {
      window.setTimeout(function () {
        window.location.assign("/staff/login?next=" + encodeURIComponent(location.pathname));
      }, 2500);
    }
  }

  function setLive(on) {
    var box = document.getElementById("live-status");
    var text = document.getElementById("live-text");
    if (box) { box.setAttribute("data-state", on ? "on" : "off"); }
    if (text) { text.textContent = t(on ? "live_on" : "live_off"); }
  }

  /* Follows the centre's event stream; calls onEvent(message) for each change and
     onOpen() after every (re)connection, so the page can catch up on what it missed.
     While the link is down the page says so (live_off). A server that stops sends a
     last `reconnect` event; the browser then retries by itself after `retry:`. If the
     browser gives up (an error status from a proxy while the server is away closes an
     EventSource for good), a new stream is opened a few seconds later. */
  function live(centerId, onEvent, onOpen) {
    if (!window.EventSource) { setLive(false); return null; }
    var current = null, closed = false;
    function open() {
      var source = current = new EventSource("/api/v1/centers/" + centerId + "/board/events");
      source.onopen = function () { setLive(true); if (onOpen) { onOpen(); } };
      source.onerror = function () {
        setLive(false);
        if (source.readyState === 2 && !closed) {  /* CLOSED: the browser will not retry */
          window.setTimeout(function () { if (current === source && !closed) { open(); } },
                            3000);
        }
      };
      source.addEventListener("reconnect", function () { setLive(false); });
      source.onmessage = function (event) {
        var message = null;
        try { message = JSON.parse(event.data); } catch (e) { return; }
        setLive(true);
        onEvent(message);
      };
    }
    open();
    window.addEventListener("pagehide", function () { closed = true; current.close(); });
    return { close: function () { closed = true; current.close(); } };
  }

  /* Runs `task` now and then at most one at a time: calls during a run are folded into
     one more run after it, so a burst of events costs two requests, not twenty. */
  function coalesce(task) {
    var running = false, again = false;
    function run() {
      if (running) { again = true; return; }
      running = true;
      Promise.resolve().then(task).catch(function () {}).then(function () {
        running = false;
        if (again) { again = false; run(); }
      });
    }
    return run;
  }

  function clock(timeZone) {
    var options = { hour: "2-digit", minute: "2-digit", hour12: false };
    if (timeZone) { options.timeZone = timeZone; }
    try {
      return new Intl.DateTimeFormat(data.lang || "ru", options).format(new Date());
    } catch (e) {
      var d = new Date();
      return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
    }
  }

  function stamp(id) {
    var e = document.getElementById(id || "updated");
    if (e) { e.textContent = t("updated_at", { time: clock(data.timezone) }); }
  }

  /* True when a key press belongs to a text field, a select or a modifier combination,
     so a console's single-letter shortcuts leave it alone. */
  function typing(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return true; }
    var target = event.target;
    if (!target || !target.tagName) { return false; }
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  window.Kezek = {
    data: data, t: t, el: el, clear: clear, api: api, say: say, fail: fail, live: live,
    coalesce: coalesce, clock: clock, stamp: stamp, typing: typing, setLive: setLive
  };
}());
