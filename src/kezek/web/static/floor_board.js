/* The lobby board: tickets called and being served, with their windows, read from
   across the room, and the tickets just let in from the line outside ("please come in").
   Loads /api/v1/centers/{id}/board, then follows the centre's event
   stream; every change re-reads the board, every new call chimes (Web Audio, no sound
   file) and is announced in Kazakh, then Russian (speechSynthesis, where there is one).
   Without sound or speech (a headless screen) the board still shows everything. */
(function () {
  "use strict";
  var K = window.Kezek;
  if (!K) { return; }
  var d = K.data;
  var REFRESH_MS = 15000;
  var lastNow = null;
  var audio = null;

  /* Sound: browsers start audio only after a gesture unless the kiosk allows it
     (chromium --autoplay-policy=no-user-gesture-required); the Sound button appears
     while audio is held back and unlocks both the chime and the speech. */
  function audioContext() {
    if (audio) { return audio; }
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) { return null; }
    try { audio = new Ctx(); } catch (e) { audio = null; }
    return audio;
  }

  function soundButton() {
    var button = document.getElementById("sound");
    var ctx = audioContext();
    if (button) { button.hidden = !ctx || ctx.state === "running"; }
  }

  function chime() {
    var ctx = audioContext();
    if (!ctx || ctx.state !== "running") { return; }
    var start = ctx.currentTime + 0.05;
    [[880, 0], [659.25, 0.45]].forEach(function (tone) {
      var osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = tone[0];
      gain.gain.setValueAtTime(0.0001, start + tone[1]);
      gain.gain.exponentialRampToValueAtTime(0.5, start + tone[1] + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + tone[1] + 1.1);
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(start + tone[1]);
      osc.stop(start + tone[1] + 1.2);
    });
  }

  function voiceFor(lang) {
    var voices = window.speechSynthesis.getVoices() || [];
    var base = lang.slice(0, 2);
    var exact = voices.filter(function (v) { return (v.lang || "").slice(0, 2) === base; })[0];
    if (exact) { return exact; }
    if (base === "kk") {  // Kazakh is written in Cyrillic: a Russian voice reads it best
      return voices.filter(function (v) { return (v.lang || "").slice(0, 2) === "ru"; })[0] || null;
    }
    return null;
  }

  /* "W-007" is spoken as "W 7": the prefix letter, then the number without zeros. */
  function spoken(label) {
    var m = /^([A-Za-z]+)-?0*(\d+)$/.exec(label || "");
    return m ? m[1] + " " + m[2] : String(label || "");
  }

  function speak(ticket, windowNumber) {
    if (!("speechSynthesis" in window) || !window.SpeechSynthesisUtterance) { return; }
    try {
      (d.announce || []).forEach(function (a) {
        var text = a.text.split("{ticket}").join(spoken(ticket))
                         .split("{window}").join(String(windowNumber));
        var u = new window.SpeechSynthesisUtterance(text);
        u.lang = a.lang;
        u.rate = 0.9;
        var voice = voiceFor(a.lang);
        if (voice) { u.voice = voice; }
        window.speechSynthesis.speak(u);
      });
    } catch (e) { /* a board without speech still shows the call */ }
  }

  function announce(ticket, windowNumber) {
    try { chime(); } catch (e) { /* no audio here */ }
    window.setTimeout(function () { speak(ticket, windowNumber); }, 1100);
  }

  function flash(node) {
    node.classList.remove("bd-flash");
    void node.offsetWidth;  // restart the animation
    node.classList.add("bd-flash");
  }

  function render(lines) {
    var body = document.getElementById("board-body");
    K.clear(body);
    lines.forEach(function (line, i) {
      var row = K.el("tr", { "data-ticket": line.ticket, "data-window": String(line.window),
                             "data-status": line.status,
                             className: i === 0 ? "bd-row bd-newest" : "bd-row" }, [
        K.el("td", { className: "bd-ticket", text: line.ticket }),
        K.el("td", { className: "bd-window", text: String(line.window) })]);
      body.appendChild(row);
    });
    document.getElementById("board-empty").hidden = lines.length > 0;
    document.querySelector(".bd-table").hidden = lines.length === 0;
    var now = document.getElementById("now");
    var first = lines[0];
    document.getElementById("now-ticket").textContent = first ? first.ticket : "—";
    document.getElementById("now-window").textContent = first ? String(first.window) : "—";
    now.setAttribute("data-state", first ? first.status : "empty");
    var key = first ? first.ticket + "@" + first.window : null;
    if (key && key !== lastNow && lastNow !== null) { flash(now); }
    lastNow = key || "";
  }

  function admitted(labels) {
    document.getElementById("admitted-tickets").textContent = labels.join(", ");
    document.getElementById("admitted-line").hidden = labels.length === 0;
  }

  var refresh = K.coalesce(function () {
    var base = "/api/v1/centers/" + d.center + "/board";
    return Promise.all([
      K.api("GET", base).then(function (r) {
        if (r.ok && Array.isArray(r.body)) { render(r.body); }
      }),
      K.api("GET", base + "/admitted").then(function (r) {
        if (r.ok && r.body && Array.isArray(r.body.tickets)) { admitted(r.body.tickets); }
      })
    ]);
  });

  /* Today's date in the centre's zone, in words from the page's own calendar names
     (kiosk browsers often lack Kazakh date formats). */
  function today() {
    var cal = d.calendar || {};
    var iso;
    try {
      iso = new Intl.DateTimeFormat("en-CA", { timeZone: d.timezone, year: "numeric",
                                               month: "2-digit", day: "2-digit" })
        .format(new Date());
    } catch (e) { iso = new Date().toISOString().slice(0, 10); }
    var p = iso.split("-");
    var date = new Date(Date.UTC(+p[0], +p[1] - 1, +p[2]));
    var weekday = (cal.weekdays || [])[(date.getUTCDay() + 6) % 7] || "";
    var month = (cal.months || [])[date.getUTCMonth()] || p[1];
    var day = String(date.getUTCDate());
    var text = d.lang === "kk" ? day + " " + month + ", " + weekday
      : d.lang === "en" ? weekday + " " + day + " " + month
        : weekday + ", " + day + " " + month;
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function tick() {
    document.getElementById("clock").textContent = K.clock(d.timezone);
    document.getElementById("date").textContent = today();
  }

  var button = document.getElementById("sound");
  if (button) {
    button.addEventListener("click", function () {
      var ctx = audioContext();
      var resumed = ctx && ctx.resume ? ctx.resume() : Promise.resolve();
      Promise.resolve(resumed).then(soundButton, soundButton);
      if ("speechSynthesis" in window && window.SpeechSynthesisUtterance) {
        try { window.speechSynthesis.speak(new window.SpeechSynthesisUtterance(" ")); }
        catch (e) { /* nothing to unlock */ }
      }
    });
  }

  tick();
  window.setInterval(tick, 1000);
  soundButton();
  refresh();
  K.live(d.center, function (m) {
    refresh();
    if (m && (m.type === "called" || m.type === "recalled") && m.window) {
      announce(m.ticket, m.window);
    }
  }, refresh);
  window.setInterval(refresh, REFRESH_MS);
  if ("speechSynthesis" in window) {
    try { window.speechSynthesis.getVoices(); } catch (e) { /* voices load lazily */ }
  }
}());
