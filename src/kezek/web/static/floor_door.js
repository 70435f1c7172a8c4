/* The door console: check in by booking code + IIN, or a walk-in by IIN + service; at a
   full centre the ticket waits in the line outside, and "Admit" (F2, from anywhere on
   the page) lets in as many as fit, announcing their ticket numbers.
   The IIN field keeps what was typed until the arrival succeeds (a refusal says what
   is wrong and leaves the last answer on screen), and the IIN travels only in POST
   bodies. While an offer of slots is on screen, the IIN is kept in this closure (not in
   the page, not in a URL) so that booking a slot needs no second typing; it is dropped
   when the offer is used or replaced. */
(function () {
  "use strict";
  var K = window.Kezek;
  if (!K) { return; }
  var d = K.data, t = K.t, el = K.el;
  var result = document.getElementById("result");
  var pending = null;  // {iin, service, privilege, code}: what an offer needs to book
  var busy = false;
  var admitting = false;  // one press of Admit at a time
  var lastField = null;  // where the last submitted form starts
  var REFRESH_MS = 10000;

  function service(code) { return (d.services || {})[code] || { name: code, online: false }; }

  function todayIso() {
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: d.timezone, year: "numeric",
                                                 month: "2-digit", day: "2-digit" })
        .format(new Date());
    } catch (e) { return new Date().toISOString().slice(0, 10); }
  }

  /* A slot start as the API gives it ("2025-05-12T15:30:00+05:00", the centre's own
     offset): shown as the centre's local day and time without any conversion. */
  function when(iso) {
    var day = iso.slice(0, 10), time = iso.slice(11, 16);
    if (day === todayIso()) { return t("today") + ", " + time; }
    var parts = day.split("-");
    var date = new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2], 12));
    var text = day;
    try {
      text = new Intl.DateTimeFormat(d.lang, { weekday: "short", day: "numeric",
                                               month: "long", timeZone: "UTC" }).format(date);
    } catch (e) { /* keep the ISO day */ }
    return text + ", " + time;
  }

  /* Puts the answer beside the forms. The heading keeps the id the section is labelled
     by; focus goes where the next step is typed (the form's first field, or the first
     free time of an offer) so the door keeps its pace. */
  function show(kind, nodes, focus) {
    K.clear(result);
    result.setAttribute("data-kind", kind);
    nodes.forEach(function (n) { if (n) { result.appendChild(n); } });
    var title = result.querySelector("h2");
    if (title) { title.id = "result-title"; }
    var target = focus || lastField;
    if (target) { target.focus({ preventScroll: false }); }
  }

  function showTicket(ticket, place) {
    pending = null;
    if (ticket.status === "outside") {
      K.say(t("ticket_outside") + ": " + ticket.label);
      show("outside", [
        el("h2", { className: "h-m", text: t("ticket_outside") }),
        el("p", { className: "door-ticket", id: "ticket-label", text: ticket.label }),
        el("p", { className: "lead", id: "outside-place",
                  text: t("outside_place", { n: place || "?" }) }),
        el("p", { text: t("outside_note") })
      ]);
      refresh();
      return;
    }
    K.say(t("ticket_issued") + ": " + ticket.label);
    show("ticket", [
      el("h2", { className: "h-m", text: t("ticket_issued") }),
      el("p", { className: "door-ticket", id: "ticket-label", text: ticket.label }),
      el("p", { className: "lead", text: (ticket.services || []).map(function (c) {
        return service(c).name; }).join(", ") }),
      claimNote(ticket),
      el("p", { text: t("ticket_wait_note") })
    ]);
    refresh();
  }

  /* A privilege claim to check (floor_privilege.js lists it with Confirm / Reject), or
     one the registry verified at booking. */
  function claimNote(ticket) {
    if (ticket.privilege_status === "claimed") {
      return el("p", { className: "door-claim", id: "ticket-claim",
                       text: t("claim_check_" + ticket.privilege_claim) });
    }
    if (ticket.privilege_status === "verified") {
      return el("p", { className: "fl-sub", text: t("claim_verified") });
    }
    return null;
  }

  function showOffer(offer) {
    var list = el("ul", { className: "door-slots" });
    (offer.slots || []).forEach(function (slot) {
      var button = el("button", { type: "button", className: "fl-button fl-button-go" }, [
        el("span", { text: when(slot.start) }),
        el("span", { className: "fl-sub", text: t("slot_free", { n: slot.free }) })]);
      button.addEventListener("click", function () { book(slot.start); });
      list.appendChild(el("li", {}, [button]));
    });
    K.say(t(offer.reason === "late" ? "offer_late" : "offer_booking_only"));
    show("offer", [
      el("h2", { className: "h-m", text: service(offer.service).name }),
      el("p", { className: "lead", text: t(offer.reason === "late" ? "offer_late"
                                                                    : "offer_booking_only") }),
      offer.slots && offer.slots.length ? list : el("p", { text: t("offer_none") })
    ], list.querySelector("button"));
  }

  function showBooked(booking) {
    show("booked", [
      el("h2", { className: "h-m", text: t("booked_title") }),
      el("p", { className: "door-when", text: when(booking.start) }),
      el("p", { className: "lead", text: service(booking.service).name }),
      el("p", { text: t("booked_later", { code: booking.code_display }) })
    ]);
  }

  function showOnline(code) {
    var box = el("div");
    var portal = el("a", { href: d.portal.url, text: d.portal.text });
    show("online", [
      el("h2", { className: "h-m", text: service(code).name }),
      el("p", { className: "lead", text: t("online_refused") }),
      el("p", {}, [portal]),
      el("p", { text: t("eds_note") }),
      el("h3", { className: "h-s", text: t("ssp_title") }),
      el("p", { text: t("ssp_body") }),
      box
    ]);
    var city = encodeURIComponent(d.city || "");
    K.api("GET", "/api/v1/self-service-points?city=" + city).then(function (r) {
      var points = (r.ok && r.body) || [];
      if (!points.length) { box.appendChild(el("p", { text: t("ssp_none") })); return; }
      var list = el("ul", { className: "door-points", id: "points" });
      points.forEach(function (p) {
        list.appendChild(el("li", {}, [el("strong", { text: p.name }),
                                       el("span", { className: "fl-sub", text: p.address })]));
      });
      box.appendChild(list);
    });
  }

  /* The API says why a service is refused only in words; the page knows which
     services are online, so "online" is a refusal of an online service without a
     privilege (or the envelope's own `reason`, once the API sends one). */
  function refusedOnline(error, ask) {
    if (!error || error.code !== "service_not_offered" || !ask.service) { return false; }
    if (error.reason) { return error.reason === "online"; }
    return service(ask.service).online && !ask.privilege;
  }

  function answer(r, ask) {
    if (r.ok && r.body && r.body.ticket) {
      showTicket(r.body.ticket, r.body.outside_place);
      return "ticket";
    }
    if (r.ok && r.body && r.body.offer) {
      pending = { iin: ask.iin, service: r.body.offer.service, privilege: ask.privilege,
                  code: r.body.offer.reason === "late" ? ask.code : null };
      showOffer(r.body.offer);
      return "offer";
    }
    pending = null;
    if (refusedOnline(r.error, ask)) { K.say(""); showOnline(ask.service); return "online"; }
    // Nothing was issued: the last answer stays on screen (the error box says what
    // happened to this attempt), the typed values stay in their fields, and focus goes
    // to the field to correct (issue 13).
    K.fail(r.error);
    var wrong = r.error && r.error.code === "invalid_iin" ? ask.iinField : ask.codeField;
    if (wrong) { wrong.focus(); if (wrong.select) { wrong.select(); } }
    return "error";
  }

  function arrive(ask) {
    if (busy) { return Promise.resolve("busy"); }
    busy = true;
    var body = { iin: ask.iin };
    if (ask.code) { body.code = ask.code; }
    if (ask.service) { body.service = ask.service; }
    if (ask.privilege) { body.privilege = ask.privilege; }
    return K.api("POST", "/api/v1/centers/" + d.center + "/arrivals", body)
      .then(function (r) { busy = false; return answer(r, ask); });
  }

  function book(start) {
    if (busy || !pending) { return; }
    busy = true;
    var ask = pending;
    var call = ask.code
      ? K.api("POST", "/api/v1/bookings/" + encodeURIComponent(ask.code) + "/reschedule",
              { iin: ask.iin, start: start, center: d.center, channel: "door" })
      : K.api("POST", "/api/v1/bookings", { iin: ask.iin, service: ask.service,
                                            center: d.center, start: start, channel: "door",
                                            privilege: ask.privilege || null });
    call.then(function (r) {
      busy = false;
      if (!r.ok) { K.fail(r.error); return; }  // the offer stays: pick another time
      var booking = r.body;
      if (booking.start.slice(0, 10) !== todayIso()) {
        pending = null;
        K.say(t("booked_title") + ": " + booking.code_display);
        showBooked(booking);
        return;
      }
      pending = null;
      document.getElementById("checkin-code").value = "";
      arrive({ iin: ask.iin, code: booking.code });
    });
  }

  function privilegeOf(form) {
    var checked = form.querySelector("input[name=privilege]:checked");
    return checked && checked.value ? checked.value : null;
  }

  /* The IIN as typed, without the spaces and dashes people put between digit groups;
     the field keeps what was typed until a ticket is issued, so a mistyped digit is
     corrected, not retyped. The server applies the full IIN rules and says what is
     wrong. */
  var SEPARATORS = /[\s\u00a0\u202f\u2007\-\u2010-\u2014\u2212.]+/g;
  function takeIin(input) {
    return input.value.replace(SEPARATORS, "");
  }

  document.getElementById("checkin-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var codeInput = document.getElementById("checkin-code");
    lastField = codeInput;
    var iinInput = document.getElementById("checkin-iin");
    var ask = { iin: takeIin(iinInput), code: codeInput.value.trim(),
                iinField: iinInput, codeField: codeInput };
    pending = null;
    arrive(ask).then(function (kind) {
      if (kind !== "error") { iinInput.value = ""; }
      if (kind === "ticket") { codeInput.value = ""; }
    });
  });

  document.getElementById("walkin-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var form = e.target;
    lastField = document.getElementById("walkin-iin");
    var iinInput = document.getElementById("walkin-iin");
    var ask = { iin: takeIin(iinInput),
                service: document.getElementById("walkin-service").value,
                privilege: privilegeOf(form), iinField: iinInput, codeField: iinInput };
    pending = null;
    arrive(ask).then(function (kind) {
      if (kind === "error") { return; }  // the choice and the IIN stay, to correct
      iinInput.value = "";
      var none = document.getElementById("priv-none");
      if (none) { none.checked = true; }
    });
  });

  function occupancy(queue) {
    var box = document.getElementById("occupancy");
    var limit = queue.occupancy_limit;
    box.textContent = limit === null || limit === undefined
      ? t("occupancy_nolimit", { n: queue.occupancy })
      : t("occupancy", { n: queue.occupancy, limit: limit });
    var full = limit !== null && limit !== undefined && queue.occupancy >= limit;
    box.setAttribute("data-full", full ? "true" : "false");
    if (full) { box.appendChild(el("span", { className: "fl-sub", text: t("centre_full") })); }
    outside(queue);
  }

  /* The line outside, next in first, with the free places and the Admit button. */
  function outside(queue) {
    var line = queue.outside || { count: 0, longest_wait_minutes: 0, entries: [] };
    var limited = queue.occupancy_limit !== null && queue.occupancy_limit !== undefined;
    document.getElementById("admit-panel").hidden = !limited && line.count === 0;
    document.getElementById("outside-count").textContent = line.count
      ? t("outside_count", { n: line.count }) + " · "
        + t("outside_longest", { n: line.longest_wait_minutes })
      : t("outside_none");
    document.getElementById("free-places").textContent = limited
      ? t("free_places", { n: queue.free_places }) : "";
    var can = line.count > 0 && (!limited || queue.free_places > 0);
    document.getElementById("admit-button").setAttribute("aria-disabled", can ? "false" : "true");
    var body = document.getElementById("outside-body");
    K.clear(body);
    line.entries.forEach(function (e) {
      var gone = el("button", { type: "button", className: "fl-button fl-button-quiet",
                                "data-ticket": String(e.ticket_id), text: t("act_left_line") });
      gone.addEventListener("click", function () { leftLine(e); });
      body.appendChild(el("tr", { "data-ticket": e.label }, [
        el("td", { className: "fl-ticket", text: e.label }),
        el("td", {}, [document.createTextNode(t(e.kind === "booked" ? "kind_booked"
                                                                    : "kind_walk_in")),
                      e.privileged ? el("span", { className: "fl-badge fl-badge-priv",
                                                  text: t("privileged") }) : null]),
        el("td", { className: "num", text: t("min_short", { n: e.waited_minutes }) }),
        el("td", {}, [gone])]));
    });
    document.getElementById("outside-table").hidden = line.entries.length === 0;
  }

  function leftLine(entry) {
    K.api("POST", "/api/v1/tickets/" + entry.ticket_id + "/left").then(function (r) {
      if (!r.ok) { K.fail(r.error); return; }
      K.say(entry.label + " — " + t("act_left_line"));
      refresh();
    });
  }

  /* Lets in as many as fit and says who may enter, in large type for the door. */
  function admit() {
    if (admitting) { return; }
    admitting = true;
    var keep = document.activeElement;
    K.api("POST", "/api/v1/centers/" + d.center + "/admit").then(function (r) {
      admitting = false;
      if (!r.ok) { K.fail(r.error); return; }
      var labels = (r.body.admitted || []).map(function (x) { return x.label; });
      if (!labels.length) {
        K.say(t(r.body.reason === "no_room" ? "admit_no_room" : "outside_none"));
        refresh();
        return;
      }
      pending = null;
      K.say(t("admitted_msg", { tickets: labels.join(", ") }));
      var list = labels.length === 1
        ? el("p", { className: "door-ticket", id: "admitted", text: labels[0] })
        : el("ul", { className: "door-slots", id: "admitted" });
      if (labels.length > 1) {
        labels.forEach(function (label) {
          list.appendChild(el("li", {}, [el("p", { className: "door-when", text: label })]));
        });
      }
      show("admitted", [el("h2", { className: "h-m", text: t("admit_title") }), list],
           keep && keep !== document.body ? keep : null);
      refresh();
    });
  }

  document.getElementById("admit-button").addEventListener("click", admit);
  document.addEventListener("keydown", function (e) {
    if (e.key !== "F2" || e.repeat || e.ctrlKey || e.metaKey || e.altKey) { return; }
    e.preventDefault();
    admit();
  });

  var refresh = K.coalesce(function () {
    return K.api("GET", "/api/v1/centers/" + d.center + "/queue").then(function (r) {
      if (!r.ok) { if (r.status === 401) { K.fail(r.error); } return; }
      occupancy(r.body);
      K.stamp();
      document.dispatchEvent(new CustomEvent("kezek:refresh"));
    });
  });

  refresh();
  K.live(d.center, function (m) {
    if (m && m.type !== "called" && m.type !== "recalled") { refresh(); }
  }, refresh);
  window.setInterval(refresh, REFRESH_MS);
}());
