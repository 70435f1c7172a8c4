/* The ballot desk of the 1414 console (fair release, ADR 13).
   When the chosen centre's newest day is in its ballot window (GET /api/v1/ballot/open),
   the booking form says so and takes the caller's ranked times instead: each press adds
   a time at the next rank (up to three), a second press takes it out. The request goes
   through POST /api/v1/ballot with channel call_centre and the operator's identity
   check, like a call-centre booking; the caller's record (the lookup) lists their
   requests and results. The call itself (the IIN, the service) is callcentre.js's,
   reached through window.KezekCall. */
(function () {
  "use strict";
  var K = window.Kezek, C = window.KezekCall;
  if (!K || !C) { return; }
  var t = K.t, el = K.el;
  var $ = function (id) { return document.getElementById(id); };
  var box = $("ballot");
  var MAX = 3;
  var open = null;   // {center, service, day, draw, starts} while a ballot is shown
  var picks = [];    // the ranked starts (local ISO), best first
  var busy = false;

  function hm(iso) { return iso.slice(11, 16); }
  function ranked(list) {
    /* "1) 10:00   2) 10:30", an item never broken across lines */
    return list.map(function (s, i) { return (i + 1) + ")\u00a0" + hm(s); }).join("   ");
  }

  function hide() { open = null; picks = []; K.clear(box); C.show(box, false); }

  /* Asks whether the chosen centre has a day in its ballot now, for this service. */
  function check() {
    var a = C.service(), centre = $("book-centre").value;
    hide();
    if (!a || !centre) { return Promise.resolve(null); }
    var query = "center=" + encodeURIComponent(centre) + "&service=" + encodeURIComponent(a.service);
    return C.api("GET", "/api/v1/ballot/open?" + query).then(function (r) {
      if (!r.ok) { K.fail(r.error); return; }
      if (!r.body.open) { return; }
      open = { center: +centre, service: a.service, day: r.body.day, draw: r.body.draw_at,
               starts: r.body.starts };
      render();
    });
  }

  function render(focusStart) {
    K.clear(box);
    box.setAttribute("data-day", open.day);
    box.appendChild(el("h3", { className: "h-s", id: "ballot-title",
                               text: t("bal_cc_title", { day: C.dayLabel(open.day) }) }));
    box.appendChild(el("p", { className: "lead", text: t("bal_cc_lead", { time: hm(open.draw) }) }));
    box.appendChild(el("p", { className: "fl-hint", id: "ballot-hint", text: t("bal_cc_hint") }));
    var list = el("ul", { className: "door-slots cc-slots", id: "ballot-times" });
    open.starts.forEach(function (s) {
      var rank = picks.indexOf(s);
      var b = el("button", {
        type: "button", "data-start": s, "aria-pressed": rank >= 0 ? "true" : "false",
        "aria-describedby": "ballot-hint",
        className: "fl-button cc-pick" + (rank >= 0 ? " fl-button-primary" : "") }, [
        el("span", { text: hm(s) }),
        el("span", { className: "fl-sub cc-rank",
                     text: rank >= 0 ? t("bal_cc_rank", { n: rank + 1 }) : "" })]);
      if (rank < 0 && picks.length >= MAX) { b.setAttribute("aria-disabled", "true"); }
      b.addEventListener("click", function () { toggle(s); });
      list.appendChild(el("li", {}, [b]));
    });
    box.appendChild(list);
    box.appendChild(el("p", { className: "cc-chosen", id: "ballot-chosen", "aria-live": "polite",
                              text: picks.length ? t("bal_cc_chosen", { times: ranked(picks) })
                                                 : t("bal_cc_none") }));
    var send = el("button", { type: "button", className: "fl-button fl-button-primary",
                              id: "ballot-send", text: t("bal_cc_send") });
    send.addEventListener("click", submit);
    var row = el("div", { className: "cc-ballot-actions" }, [send]);
    if (picks.length) {
      var again = el("button", { type: "button", className: "fl-button fl-button-quiet",
                                 id: "ballot-clear", text: t("bal_cc_clear") });
      again.addEventListener("click", function () { picks = []; render(); });
      row.appendChild(again);
    }
    box.appendChild(row);
    C.show(box, true);
    if (focusStart) {
      var again2 = box.querySelector('[data-start="' + focusStart + '"]');
      if (again2) { again2.focus(); }
    }
  }

  function toggle(start) {
    var i = picks.indexOf(start);
    if (i >= 0) { picks.splice(i, 1); }
    else if (picks.length < MAX) { picks.push(start); }
    else { return; }
    render(start);
  }

  function submit() {
    if (busy || !open || !C.needCaller()) { return; }
    if (!picks.length) { K.fail({ message: t("bal_cc_need") }); return; }
    busy = true;
    var email = $("book-email").value.trim();
    C.api("POST", "/api/v1/ballot", {
      iin: C.caller(), identity_checked: true, channel: "call_centre", center: open.center,
      day: open.day, service: open.service, choices: picks, privilege: C.privilege(),
      email: email || null, lang: $("book-lang").value
    }).then(function (r) {
      busy = false;
      if (!r.ok) { K.fail(r.error); return; }
      var done = $("booked");
      K.clear(done);
      done.appendChild(el("p", { className: "cc-code", id: "ballot-code", text: r.body.code_display }));
      done.appendChild(el("p", { className: "lead", text: r.body.service_name + ", " +
        r.body.center_name + ", " + C.dayLabel(r.body.day) + ": " + ranked(r.body.choices) }));
      done.appendChild(el("p", { text: t("bal_cc_done") }));
      C.show(done, true);
      hide();
      $("book-email").value = "";
      K.say(t("bal_cc_entered", { code: r.body.code_display }));
      C.refreshCaller();
    });
  }

  function statusText(b) {
    if (b.status === "won" && b.booking) { return t("bstatus_won", { time: C.when(b.booking.start) }); }
    if (b.status === "lost") { return t("bstatus_lost"); }
    return t("bstatus_entered", { time: b.draw_at ? C.when(b.draw_at) : "—" });
  }

  /* The caller's requests, under their bookings (null: the call ended). */
  C.onCaller(function (body) {
    var list = $("caller-ballots"), items = (body && body.ballots) || [];
    K.clear(list);
    items.forEach(function (b) {
      list.appendChild(el("li", { "data-code": b.code, "data-status": b.status }, [
        el("strong", { className: "fl-ticket", text: b.code_display }),
        el("span", { text: " · " + b.service_name + " · " + b.center_name + " · " +
                           C.dayLabel(b.day) + ": " + ranked(b.choices) }),
        el("span", { className: "fl-sub cc-bstatus", text: statusText(b) })]));
    });
    C.show($("caller-ballots-part"), items.length > 0);
    if (!body) { hide(); }
  });

  $("book-form").addEventListener("submit", function () { check(); });
  $("book-centre").addEventListener("change", check);
  $("book-city").addEventListener("change", hide);
  $("service-results").addEventListener("click", hide);
}());
