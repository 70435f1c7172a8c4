/* The 1414 console's video desk: publish one's video hours, list free slots of every
   operator, give one to the caller (the answer carries the room link for both sides),
   and keep one's upcoming consultations in view. The caller's IIN stays in
   callcentre.js; this script asks for it through KezekCall only when it books. */
(function () {
  "use strict";
  var K = window.Kezek, C = window.KezekCall;
  if (!K || !C) { return; }
  var d = K.data, t = K.t, el = K.el, api = C.api, when = C.when, show = C.show;
  var $ = function (id) { return document.getElementById(id); };
  var busy = false;
  var REFRESH_MS = 30000;

  function loadSlots() {
    var box = $("video-slots");
    var day = $("video-day").value || d.today;
    var who = $("video-who").value;
    K.clear(box);
    return api("GET", "/api/v1/video/slots?days=1&from=" + encodeURIComponent(day) +
               (who ? "&operator=" + who : "")).then(function (r) {
      if (!r.ok) { K.fail(r.error); return; }
      if (!r.body.length) { box.appendChild(el("p", { text: t("video_none") })); return; }
      box.appendChild(el("p", { className: "fl-hint", text: t("video_pick") }));
      var list = el("ul", { className: "door-slots cc-slots" });
      r.body.forEach(function (s) {
        var b = el("button", { type: "button", className: "fl-button fl-button-go",
                               "data-start": s.start, "data-operator": String(s.operator_id) }, [
          el("span", { text: s.start.slice(11, 16) }),
          el("span", { className: "fl-sub", text: s.operator })]);
        b.addEventListener("click", function () { schedule(s); });
        list.appendChild(el("li", {}, [b]));
      });
      box.appendChild(list);
    });
  }

  function schedule(slot) {
    if (busy || !C.needCaller()) { return; }
    busy = true;
    api("POST", "/api/v1/video/consultations", {
      iin: C.caller(), hours_id: slot.hours_id, start: slot.start,
      service: C.service() ? C.service().service : null, lang: $("video-lang").value
    }).then(function (r) {
      busy = false;
      if (!r.ok) { K.fail(r.error); loadSlots(); return; }
      var c = r.body, box = $("video-result");
      K.clear(box);
      box.appendChild(el("p", { className: "lead", text: t("video_done", {
        time: when(c.start) + "–" + c.end.slice(11, 16) }) + " · " + c.operator }));
      box.appendChild(el("p", { className: "cc-room" }, [
        el("a", { href: c.room, id: "room-link", text: c.room, rel: "noopener",
                  target: "_blank" })]));
      box.appendChild(el("p", { text: t("video_link_note") }));
      show(box, true);
      K.say(t("video_done", { time: when(c.start) }));
      loadSlots();
      loadMine();
      C.refreshCaller();
      box.querySelector("a").focus();
    });
  }

  $("video-form").addEventListener("submit", function (e) { e.preventDefault(); loadSlots(); });
  $("video-day").addEventListener("change", loadSlots);
  $("video-who").addEventListener("change", loadSlots);

  function loadMine() {
    return api("GET", "/api/v1/video/consultations?mine=1").then(function (r) {
      if (!r.ok) { if (r.status === 401) { K.fail(r.error); } return; }
      var tbody = $("mine-body");
      K.clear(tbody);
      r.body.forEach(function (c) {
        var cancel = el("button", { type: "button", className: "fl-button fl-button-warn",
                                    text: t("act_cancel") });
        C.armed(cancel, t("act_cancel"), function () {
          api("POST", "/api/v1/video/consultations/" + c.id + "/cancel").then(function (x) {
            if (!x.ok) { K.fail(x.error); return; }
            K.say(t("video_cancelled"));
            loadMine();
            loadSlots();
            C.refreshCaller();
          });
        });
        tbody.appendChild(el("tr", { "data-id": String(c.id) }, [
          el("td", { text: when(c.start) + "–" + c.end.slice(11, 16) }),
          el("td", { text: c.iin_masked }),
          el("td", {}, [el("a", { href: c.room, text: c.room, rel: "noopener",
                                  target: "_blank" })]),
          el("td", {}, [cancel])]));
      });
      show($("mine"), r.body.length > 0);
      show($("mine-none"), r.body.length === 0);
    });
  }

  function loadHours() {
    return api("GET", "/api/v1/video/hours").then(function (r) {
      if (!r.ok) { return; }
      var list = $("hours-list");
      K.clear(list);
      r.body.forEach(function (h) {
        list.appendChild(el("li", { text: t("hours_line", {
          day: C.dayLabel(h.starts_at.slice(0, 10)), from: h.starts_at.slice(11, 16),
          to: h.ends_at.slice(11, 16), n: h.slot_minutes }) }));
      });
      show($("hours-none"), r.body.length === 0);
    });
  }

  $("hours-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var day = $("hours-date").value;
    var from = $("hours-from").value, to = $("hours-to").value;
    if (!day || !from || !to) { $("hours-date").focus(); return; }
    api("POST", "/api/v1/video/hours", {
      starts_at: day + "T" + from.slice(0, 5) + ":00" + d.offset,
      ends_at: day + "T" + to.slice(0, 5) + ":00" + d.offset,
      slot_minutes: +$("hours-slot").value
    }).then(function (r) {
      if (!r.ok) { K.fail(r.error); return; }
      K.say(t("hours_published", { n: r.body.slots }));
      loadHours();
      if ($("video-day").value === day) { loadSlots(); }
    });
  });

  loadMine();
  loadHours();
  loadSlots();
  window.setInterval(loadMine, REFRESH_MS);
}());
