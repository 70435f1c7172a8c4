/* The waitlist desk of the 1414 console.
   When the operator shows a centre's times, the form also lists that centre's fully
   booked days for the service (GET /api/v1/callcentre/waitlist/days, written by the
   server in the page's language): the operator puts the caller in line for one of them
   with the mobile number they give for the offer's SMS (POST /api/v1/callcentre/waitlist,
   with the identity check). The caller's entries come with the lookup and can be taken
   out of line (armed button, as for a booking's cancel). The number is read from its
   field, sent once and the field emptied: it is never shown. The call itself is
   callcentre.js's, reached through window.KezekCall. */
(function () {
  "use strict";
  var K = window.Kezek, C = window.KezekCall;
  if (!K || !C) { return; }
  var t = K.t, el = K.el;
  var $ = function (id) { return document.getElementById(id); };
  var box = $("wait"), daySelect = $("wait-day");
  var shown = null;   // {center, service, privilege} of the days listed
  var busy = false;

  function hide() { shown = null; K.clear(daySelect); C.show(box, false); }

  function load() {
    var a = C.service(), centre = $("book-centre").value, privilege = C.privilege();
    hide();
    if (!a || !centre) { return Promise.resolve(null); }
    var query = "center=" + encodeURIComponent(centre) + "&service=" +
      encodeURIComponent(a.service) + (privilege ? "&privilege=" + encodeURIComponent(privilege) : "");
    return C.api("GET", "/api/v1/callcentre/waitlist/days?" + query).then(function (r) {
      if (!r.ok) { return; }  // the times part already says why (not offered here, ...)
      shown = { center: +centre, service: a.service, privilege: privilege };
      r.body.forEach(function (x) {
        daySelect.appendChild(el("option", { value: x.day, text: x.label }));
      });
      C.show($("wait-fields"), r.body.length > 0);
      C.show($("wait-none"), r.body.length === 0);
      C.show(box, true);
    });
  }

  $("wait-join").addEventListener("click", function () {
    if (busy || !shown || !daySelect.value || !C.needCaller()) { return; }
    var phone = $("wait-phone").value.trim(), email = $("book-email").value.trim();
    busy = true;
    C.api("POST", "/api/v1/callcentre/waitlist", {
      iin: C.caller(), identity_checked: true, service: shown.service, center: shown.center,
      day: daySelect.value, privilege: shown.privilege, phone: phone || null,
      email: email || null, lang: $("book-lang").value
    }).then(function (r) {
      busy = false;
      if (!r.ok) {
        K.fail(r.error);
        if (r.error && r.error.code === "invalid_phone") { $("wait-phone").focus(); }
        return;
      }
      $("wait-phone").value = "";
      var done = $("booked");
      K.clear(done);
      done.appendChild(el("p", { className: "cc-code", id: "wait-code", text: r.body.code_display }));
      done.appendChild(el("p", { className: "lead", text: r.body.service_name + ", " +
        r.body.center_name + ", " + C.dayLabel(r.body.day) }));
      done.appendChild(el("p", { text: t("cwl_joined", { code: r.body.code_display,
                                                         n: r.body.position || "—" }) }));
      if (!r.body.sms && !r.body.email) { done.appendChild(el("p", { text: t("cwl_no_contact") })); }
      C.show(done, true);
      K.say(t("cwl_joined", { code: r.body.code_display, n: r.body.position || "—" }));
      C.refreshCaller().then(load);
    });
  });

  function statusText(w) {
    var at = w.offer ? C.when(w.offer.start) : "";
    if (w.status === "waiting") { return t("cwl_status_waiting", { n: w.position || "—" }); }
    return t("cwl_status_" + w.status, { time: at });
  }

  function leave(w) {
    if (busy || !C.needCaller()) { return; }
    busy = true;
    C.api("POST", "/api/v1/callcentre/waitlist/" + encodeURIComponent(w.code) + "/cancel",
          { iin: C.caller(), identity_checked: true }).then(function (r) {
      busy = false;
      if (!r.ok) { K.fail(r.error); return; }
      K.say(t("cwl_left", { code: w.code_display }));
      C.refreshCaller().then(function () { if (shown) { load(); } });
    });
  }

  /* The caller's entries, under their bookings (null: the call ended). */
  C.onCaller(function (body) {
    var list = $("caller-waitlist"), items = (body && body.waitlist) || [];
    K.clear(list);
    items.forEach(function (w) {
      var contact = [w.sms ? t("cwl_contact_sms") : null, w.email ? t("cwl_contact_email") : null]
        .filter(Boolean).join(", ");
      var item = el("li", { "data-code": w.code, "data-status": w.status }, [
        el("strong", { className: "fl-ticket", text: w.code_display }),
        el("span", { text: " · " + w.service_name + " · " + w.center_name + " · " +
                           C.dayLabel(w.day) + (contact ? " · " + contact : "") }),
        el("span", { className: "fl-sub cc-bstatus", text: statusText(w) })]);
      if (w.status === "waiting" || w.status === "offered") {
        var button = el("button", { type: "button", className: "fl-button fl-button-warn",
                                    text: t("cwl_leave") });
        C.armed(button, t("cwl_leave"), function () { leave(w); });
        item.appendChild(el("div", { className: "cc-actions" }, [button]));
      }
      list.appendChild(item);
    });
    C.show($("caller-waitlist-none"), items.length === 0);
    if (!body) { C.show($("caller-waitlist-none"), true); }
  });

  $("book-form").addEventListener("submit", function () { load(); });
  $("book-centre").addEventListener("change", hide);
  $("book-city").addEventListener("change", hide);
  $("service-results").addEventListener("click", hide);
  Array.prototype.forEach.call(document.querySelectorAll("#book-form input[name=privilege]"),
    function (radio) { radio.addEventListener("change", hide); });
}());
