/* The 1414 call-centre console: a whole call without a reload.
   The caller's IIN is read from its field once, the field emptied, and the number kept
   in this closure for the call: it travels only in POST bodies, the page shows it
   masked, and "New call" (Esc) drops it. Every request goes through Kezek.api (session
   cookie + the X-Requested-With header the server checks). The video desk is in
   callcentre_video.js and reaches the call through window.KezekCall. */
(function () {
  "use strict";
  var K = window.Kezek;
  if (!K) { return; }
  var d = K.data, t = K.t, el = K.el;
  var $ = function (id) { return document.getElementById(id); };
  var callerIin = null;   // the caller's IIN, for this call only
  var service = null;     // the advice for the chosen service
  var busy = false;
  var callerHooks = [];   // (caller | null) => void: the ballot desk's list of the caller

  function api(method, path, body) {
    return K.api(method, path, body).then(function (r) {
      K.setLive(r.status !== 0);
      if (r.ok) { K.stamp(); }
      return r;
    });
  }

  /* ---- dates: the API gives local ISO times with their offset; the day is written by
     the server (Babel, d.days), since a browser without Kazakh dates writes "M12 3, Thu". */
  function dayLabel(day) {
    if (day === d.today) { return t("today"); }
    if (d.days && d.days[day]) { return d.days[day]; }
    /* Far from today: CLDR's names from the page data, in the language's order. */
    var p = day.split("-");
    if (p.length !== 3 || !d.months || !d.weekdays) { return day; }
    var date = new Date(Date.UTC(+p[0], +p[1] - 1, +p[2], 12));
    var weekday = d.weekdays[(date.getUTCDay() + 6) % 7];
    var dm = (+p[2]) + " " + d.months[+p[1] - 1] + " " + p[0];
    return d.lang === "kk" ? dm + ", " + weekday
      : weekday.charAt(0).toUpperCase() + weekday.slice(1) + ", " + dm;
  }
  function when(iso) { return dayLabel(iso.slice(0, 10)) + ", " + iso.slice(11, 16); }

  var DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  /* A weekly timetable as short text: consecutive days with equal hours joined. */
  function hoursText(hours) {
    var runs = [];
    DAYS.forEach(function (day, i) {
      var h = hours && hours[day];
      if (!h) { return; }
      var text = h[0] + "–" + h[1];
      var last = runs[runs.length - 1];
      if (last && last.to === i - 1 && last.text === text) { last.to = i; }
      else { runs.push({ from: i, to: i, text: text }); }
    });
    var names = d.weekdays || DAYS;
    return runs.map(function (r) {
      var days = r.from === r.to ? names[r.from] : names[r.from] + "–" + names[r.to];
      return days + " " + r.text;
    }).join("; ");
  }

  function show(node, on) { node.hidden = !on; }

  /* ---- the caller ---------------------------------------------------------------- */
  var iinInput = $("caller-iin"), iinError = $("caller-iin-error");

  function fieldError(text) {
    iinError.textContent = text || "";
    show(iinError, !!text);
    $("caller-field").classList.toggle("field-error", !!text);
    if (text) { iinInput.setAttribute("aria-invalid", "true"); }
    else { iinInput.removeAttribute("aria-invalid"); }
  }

  function needCaller() {
    if (callerIin) { return true; }
    fieldError(t("caller_needed"));
    K.fail({ message: t("caller_needed") });
    iinInput.focus();
    return false;
  }

  function lookup(iin) {
    return api("POST", "/api/v1/callcentre/lookup",
                                { iin: iin, identity_checked: true }).then(function (r) {
      if (!r.ok) { return r; }
      callerIin = iin;
      renderCaller(r.body);
      return r;
    });
  }

  function refreshCaller() { return callerIin ? lookup(callerIin) : Promise.resolve(null); }

  function armed(button, label, action) {
    /* A destructive button asks once more before it acts. */
    button.addEventListener("click", function () {
      if (button.getAttribute("data-armed") !== "true") {
        button.setAttribute("data-armed", "true");
        button.textContent = t("act_confirm_cancel");
        return;
      }
      action();
    });
    button.addEventListener("blur", function () {
      button.removeAttribute("data-armed");
      button.textContent = label;
    });
  }

  function renderCaller(body) {
    $("caller-masked").textContent = t("caller_is", { iin: body.iin_masked });
    var tbody = $("bookings-body");
    K.clear(tbody);
    body.bookings.forEach(function (b) {
      var actions = el("td", { className: "cc-actions" });
      if (b.status === "active") {
        var move = el("button", { type: "button", className: "fl-button fl-button-quiet",
                                  text: t("act_move") });
        move.addEventListener("click", function () { startMove(b); });
        var cancel = el("button", { type: "button", className: "fl-button fl-button-warn",
                                    text: t("act_cancel") });
        armed(cancel, t("act_cancel"), function () { cancelBooking(b); });
        actions.appendChild(move);
        actions.appendChild(cancel);
      }
      /* data-label: the column's name, shown beside each value where a phone shows
         the rows as cards (callcentre.css). */
      tbody.appendChild(el("tr", { "data-code": b.code, "data-status": b.status }, [
        el("td", { className: "fl-ticket", text: b.code_display }),
        el("td", { "data-label": t("cc_col_service"), text: b.service_name }),
        el("td", { "data-label": t("col_centre") }, [
          el("span", { text: b.center_name }), el("span", { className: "fl-sub", text: b.city })]),
        el("td", { "data-label": t("col_time"), text: when(b.start) }),
        el("td", { "data-label": t("col_status"), text: t("status_" + b.status) }),
        actions]));
    });
    show($("bookings"), body.bookings.length > 0);
    show($("bookings-none"), body.bookings.length === 0);
    var list = $("caller-consultations");
    K.clear(list);
    body.consultations.forEach(function (c) {
      list.appendChild(el("li", { "data-status": c.status }, [
        el("strong", { text: when(c.start) + "–" + c.end.slice(11, 16) }),
        el("span", { text: " · " + c.operator + " · " + t("vstatus_" + c.status) + " " }),
        c.status === "scheduled" ? el("a", { href: c.room, text: c.room, rel: "noopener",
                                             target: "_blank" }) : null]));
    });
    if (!body.consultations.length) {
      list.appendChild(el("li", { text: t("consultations_none") }));
    }
    callerHooks.forEach(function (f) { f(body); });
    show($("caller"), true);
  }

  function clearCaller() {
    callerIin = null;
    show($("caller"), false);
    show($("move"), false);
    show($("booked"), false);
    show($("video-result"), false);
    K.clear($("bookings-body"));
    K.clear($("caller-consultations"));
    callerHooks.forEach(function (f) { f(null); });
    fieldError("");
    K.say("");
    iinInput.value = "";
    $("caller-checked").checked = false;
    iinInput.focus();
  }

  $("caller-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var iin = iinInput.value.replace(/\s+/g, "");
    iinInput.value = "";
    if (!iin) { fieldError(t("caller_needed")); iinInput.focus(); return; }
    if (!$("caller-checked").checked) {
      /* An IIN said on the phone proves nothing: the operator confirms the questions. */
      iinInput.value = iin;
      fieldError(t("caller_check_needed"));
      $("caller-checked").focus();
      return;
    }
    callerIin = null;
    show($("caller"), false);
    lookup(iin).then(function (r) {
      if (r.ok) {
        fieldError("");
        K.say(t("caller_found", { n: r.body.bookings.length, m: r.body.consultations.length }));
        $("service-q").focus();
        return;
      }
      if (r.error && r.error.code === "invalid_iin") { iinInput.value = iin; }
      fieldError(r.error && r.error.message);
      K.fail(r.error);
      iinInput.focus();
    });
  });
  $("caller-clear").addEventListener("click", clearCaller);

  function cancelBooking(b) {
    if (!needCaller()) { return; }
    api("POST", "/api/v1/callcentre/bookings/" + encodeURIComponent(b.code) + "/cancel",
        { iin: callerIin, identity_checked: true }).then(function (r) {
      if (!r.ok) { K.fail(r.error); return; }
      K.say(t("cancelled", { code: b.code_display }));
      show($("move"), false);
      show($("booked"), false);
      refreshCaller();
    });
  }

  /* ---- free times of a centre: a day, then one press on a time -------------------- */
  function picker(box, centerId, code, privilege, onPick) {
    K.clear(box);
    var query = "service=" + encodeURIComponent(code) + "&days=14" +
      (privilege ? "&privilege=" + encodeURIComponent(privilege) : "");
    return api("GET", "/api/v1/centers/" + centerId + "/slots?" + query).then(function (r) {
      if (!r.ok) { K.fail(r.error); return; }
      if (!r.body.length) { box.appendChild(el("p", { text: t("no_times") })); return; }
      var byDay = {}, days = [];
      r.body.forEach(function (s) {
        var day = s.start.slice(0, 10);
        if (!byDay[day]) { byDay[day] = []; days.push(day); }
        byDay[day].push(s);
      });
      var id = box.id + "-day";
      var select = el("select", { className: "select", id: id });
      days.forEach(function (day) { select.appendChild(el("option", { value: day,
                                                                     text: dayLabel(day) })); });
      var list = el("ul", { className: "door-slots cc-slots" });
      function fill() {
        K.clear(list);
        byDay[select.value].forEach(function (s) {
          var b = el("button", { type: "button", className: "fl-button fl-button-go",
                                 "data-start": s.start }, [
            el("span", { text: s.start.slice(11, 16) }),
            el("span", { className: "fl-sub", text: t("slot_free", { n: s.free }) })]);
          b.addEventListener("click", function () { onPick(s.start); });
          list.appendChild(el("li", {}, [b]));
        });
      }
      select.addEventListener("change", fill);
      fill();
      box.appendChild(el("div", { className: "field" }, [
        el("label", { className: "label", "for": id, text: t("row_day") }), select]));
      box.appendChild(el("p", { className: "fl-hint", text: t("pick_time") }));
      box.appendChild(list);
      select.focus();
    });
  }

  function startMove(b) {
    var box = $("move");
    K.clear(box);
    box.appendChild(el("h4", { className: "h-s", text: t("cc_move_title", { code: b.code_display }) }));
    var times = el("div", { id: "move-times" });
    box.appendChild(times);
    show(box, true);
    picker(times, b.center, b.service, b.privilege, function (start) {
      if (busy || !needCaller()) { return; }
      busy = true;
      api("POST", "/api/v1/callcentre/bookings/" + encodeURIComponent(b.code) + "/reschedule",
          { iin: callerIin, identity_checked: true, start: start }).then(function (r) {
        busy = false;
        if (!r.ok) { K.fail(r.error); return; }
        show(box, false);
        show($("booked"), false);  // its code is the old one now
        K.say(t("moved", { code: r.body.code_display }));
        refreshCaller();
      });
    });
  }

  /* ---- a service: can it be done online, and where in person ---------------------- */
  $("service-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = $("service-q").value.trim();
    var list = $("service-results");
    K.clear(list);
    if (!q) { return; }
    api("GET", "/api/v1/services?q=" + encodeURIComponent(q)).then(function (r) {
      if (!r.ok) { K.fail(r.error); return; }
      if (!r.body.length) { list.appendChild(el("li", { text: t("service_none") })); return; }
      r.body.slice(0, 30).forEach(function (s) {
        var b = el("button", { type: "button", className: "cc-result", "data-code": s.code }, [
          el("span", { text: s.name }),
          el("span", { className: "fl-sub", text: s.code + " · " + t("service_" + s.delivery) })]);
        b.addEventListener("click", function () { choose(s.code); });
        list.appendChild(el("li", {}, [b]));
      });
      list.querySelector("button").focus();
    });
  });

  function privilegeOf() {
    var checked = document.querySelector("#book-form input[name=privilege]:checked");
    return checked && checked.value ? checked.value : null;
  }

  function choose(code, keepFocus) {
    var privilege = privilegeOf();
    var query = "service=" + encodeURIComponent(code) +
      (privilege ? "&privilege=" + privilege : "");
    return api("GET", "/api/v1/callcentre/advice?" + query).then(function (r) {
      if (!r.ok) { K.fail(r.error); return; }
      service = r.body;
      K.clear($("service-results"));
      renderAdvice(service);
      renderCentres(service);
      var note = $("video-service");
      note.textContent = t("video_service", { name: service.name });
      show(note, true);
      show($("booked"), false);
      K.clear($("book-times"));
      if (!keepFocus) { (service.delivery === "online" ? $("advice") : $("book-city")).focus(); }
    });
  }

  function renderAdvice(a) {
    var box = $("advice");
    K.clear(box);
    box.setAttribute("data-kind", a.online ? "online" : "paper");
    box.setAttribute("tabindex", "-1");
    box.appendChild(el("h3", { className: "h-s", text: a.name }));
    if (!a.online) {
      box.appendChild(el("p", { className: "lead", text: t("online_no") }));
      show(box, true);
      return;
    }
    box.appendChild(el("p", { className: "lead", text: t("online_yes") }));
    box.appendChild(el("p", {}, [el("a", { href: a.portal, id: "portal-link",
                                           text: d.portal.host || a.portal })]));
    box.appendChild(el("p", { text: t("eds_note") }));
    box.appendChild(el("p", { text: t("video_offer") }));
    var offer = el("button", { type: "button", className: "fl-button fl-button-go",
                               id: "video-offer", text: t("video_offer_button") });
    offer.addEventListener("click", function () { $("video-day").focus(); });
    box.appendChild(offer);
    box.appendChild(el("h4", { className: "h-s", text: t("ssp_title") }));
    if (!a.points.length) { box.appendChild(el("p", { text: t("ssp_none") })); }
    else {
      var list = el("ul", { className: "cc-points", id: "points" });
      a.points.forEach(function (p) {
        var hours = hoursText(p.hours);
        list.appendChild(el("li", {}, [
          el("strong", { text: p.name }),
          el("span", { className: "fl-sub", text: p.address }),
          hours ? el("span", { className: "fl-sub", text: t("hours_label") + ": " + hours })
                : null,
          p.map ? el("a", { href: p.map, text: t("map_link"), rel: "noopener",
                            target: "_blank" }) : null]));
      });
      box.appendChild(list);
    }
    box.appendChild(el("p", { className: "cc-note", text: a.delivery === "both"
      ? t("online_also") : t("online_privileged") }));
    if (a.delivery === "online") { box.appendChild(privilegePath()); }
    show(box, true);
  }

  /* An online-only service is still done at a centre's privilege window for a pensioner,
     a person with a disability or a large family: one press claims the privilege and
     lists the centres that would take them (the door checks the document). */
  var PRIVILEGES = ["pensioner", "disability", "large_family"];
  function privilegePath() {
    var part = el("section", { className: "cc-priv", id: "priv-path",
                               "aria-labelledby": "priv-path-title" }, [
      el("h4", { className: "h-s", id: "priv-path-title", text: t("cc_priv_title") }),
      el("p", { text: t("cc_priv_lead") })]);
    var row = el("div", { className: "cc-priv-actions" });
    PRIVILEGES.forEach(function (p) {
      var b = el("button", { type: "button", className: "fl-button", "data-privilege": p,
                             text: t("priv_" + p) });
      b.addEventListener("click", function () {
        $("bp-" + p).checked = true;
        choose(service.service, true).then(function () { $("book-city").focus(); });
      });
      row.appendChild(b);
    });
    part.appendChild(row);
    return part;
  }

  function renderCentres(a) {
    var citySelect = $("book-city"), centreSelect = $("book-centre");
    var wanted = citySelect.value;
    while (citySelect.options.length > 1) { citySelect.remove(1); }
    var seen = {};
    a.centres.forEach(function (c) {
      if (seen[c.city]) { return; }
      seen[c.city] = true;
      citySelect.appendChild(el("option", { value: c.city, text: c.city_name }));
    });
    citySelect.value = seen[wanted] ? wanted : "";
    function fill() {
      K.clear(centreSelect);
      a.centres.filter(function (c) { return !citySelect.value || c.city === citySelect.value; })
        .forEach(function (c) {
          centreSelect.appendChild(el("option", { value: String(c.id),
                                                  text: c.address ? c.name + " — " + c.address : c.name }));
        });
      K.clear($("book-times"));
      if (!centreSelect.options.length) {
        $("book-times").appendChild(el("p", { text: t("cc_no_centres") }));
      }
    }
    citySelect.onchange = fill;
    centreSelect.onchange = function () { K.clear($("book-times")); };
    fill();
    show($("book-form"), true);
  }

  Array.prototype.forEach.call(document.querySelectorAll("#book-form input[name=privilege]"),
    function (radio) {
      radio.addEventListener("change", function () { if (service) { choose(service.service, true); } });
    });

  $("book-form").addEventListener("submit", function (e) {
    e.preventDefault();
    if (!service || !$("book-centre").value) { return; }
    var centre = +$("book-centre").value, privilege = privilegeOf();
    picker($("book-times"), centre, service.service, privilege, function (start) {
      if (busy || !needCaller()) { return; }
      busy = true;
      var email = $("book-email").value.trim();
      api("POST", "/api/v1/callcentre/bookings", {
        iin: callerIin, identity_checked: true, service: service.service, center: centre, start: start,
        privilege: privilege, email: email || null, lang: $("book-lang").value
      }).then(function (r) {
        busy = false;
        if (!r.ok) { K.fail(r.error); return; }
        var box = $("booked");
        K.clear(box);
        box.appendChild(el("p", { className: "cc-code", id: "booked-code",
                                  text: r.body.code_display }));
        box.appendChild(el("p", { className: "lead", text: r.body.service_name + ", " +
                                  r.body.center_name + ", " + when(r.body.start) }));
        box.appendChild(el("p", { text: t("booked_read") }));
        show(box, true);
        K.clear($("book-times"));
        $("book-email").value = "";
        K.say(t("booked", { code: r.body.code_display }));
        refreshCaller();
      });
    });
  });

  /* ---- keys ---------------------------------------------------------------------- */
  var KEYS = { i: "caller-iin", s: "service-q", v: "video-day", h: "hours-date" };
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !K.typing(e)) { e.preventDefault(); clearCaller(); return; }
    if (K.typing(e)) { return; }
    var target = KEYS[(e.key || "").toLowerCase()];
    if (target) { e.preventDefault(); $(target).focus(); }
  });

  /* What the video desk (callcentre_video.js) shares of the call. */
  window.KezekCall = {
    api: api, when: when, dayLabel: dayLabel, armed: armed, show: show,
    needCaller: needCaller, refreshCaller: refreshCaller,
    caller: function () { return callerIin; },
    service: function () { return service; },
    privilege: privilegeOf,
    onCaller: function (f) { callerHooks.push(f); }
  };
}());
