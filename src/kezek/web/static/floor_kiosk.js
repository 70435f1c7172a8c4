/* The self check-in kiosk: a citizen types their booking code and IIN; the page posts
   {code, iin} to the kiosk's arrivals API (the device's enrolment names the centre) and
   shows the ticket number (at a full centre: wait outside, your number in the line, the
   screen by the door calls you in), or says plainly what happened and what to do. A
   refusal keeps the form and what was typed, so one wrong digit is corrected, not
   retyped; a ticket clears both. The IIN travels only in the POST body, never in a
   URL. After a spell without touches the kiosk clears everything and returns to its
   start screen for the next person. A device that is not (or no longer) enrolled is
   sent to the enrolment screen, never to a staff sign-in. */
(function () {
  "use strict";
  var K = window.Kezek;
  if (!K) { return; }
  var d = K.data, t = K.t;
  var IDLE_MS = (d.idle || 20) * 1000;
  var SEPARATORS = /[\s\u00a0\u202f\u2007\-\u2010-\u2014\u2212.]+/g;

  var start = document.getElementById("start");
  var result = document.getElementById("result");
  var form = document.getElementById("kiosk-form");
  var codeInput = document.getElementById("kiosk-code");
  var iinInput = document.getElementById("kiosk-iin");
  var problem = document.getElementById("kiosk-problem");
  var submit = document.getElementById("kiosk-submit");
  var title = document.getElementById("result-title");
  var ticket = document.getElementById("result-ticket");
  var text = document.getElementById("result-text");
  var busy = false;
  var idleTimer = null;

  function showProblem(message) {
    problem.textContent = message || "";
    problem.hidden = !message;
  }

  function home() {
    codeInput.value = "";
    iinInput.value = "";
    showProblem("");
    result.hidden = true;
    result.setAttribute("data-kind", "empty");
    ticket.textContent = "";
    text.textContent = "";
    title.textContent = "";
    start.hidden = false;
    submit.disabled = false;
    busy = false;
    codeInput.focus();
  }

  function touched() {
    if (idleTimer) { window.clearTimeout(idleTimer); }
    idleTimer = window.setTimeout(function () {
      idleTimer = null;
      if (!busy) { home(); } else { touched(); }
    }, IDLE_MS);
  }

  function showResult(kind, heading, label, message) {
    start.hidden = true;
    result.setAttribute("data-kind", kind);
    title.textContent = heading;
    ticket.textContent = label || "";
    ticket.hidden = !label;
    text.textContent = message;
    result.hidden = false;
    document.getElementById("kiosk-again").focus();
    touched();
  }

  function answer(r) {
    if (r.ok && r.body && r.body.ticket) {
      codeInput.value = "";
      iinInput.value = "";
      if (r.body.ticket.status === "outside") {  // a full centre: the line outside the door
        var place = r.body.outside_place;
        showResult("outside", t("kiosk_outside_title"), r.body.ticket.label,
                   (place ? t("kiosk_outside", { n: place }) : t("kiosk_outside_call"))
                   + (r.body.ticket.privilege_status === "claimed"
                     ? " " + t("kiosk_claim_doc") : ""));
        return;
      }
      showResult("ticket", t("kiosk_ticket"), r.body.ticket.label,
                 r.body.ticket.privilege_status === "claimed" ? t("kiosk_claim_doc")
                                                              : t("kiosk_wait"));
      return;
    }
    if (r.ok && r.body && r.body.offer) {  // late, or a booking-only centre: staff decide
      iinInput.value = "";
      showResult("staff", t("kiosk_failed"), "", t("kiosk_see_staff"));
      return;
    }
    if (r.status === 401) {  // revoked or never enrolled: to the enrolment screen
      showProblem(t("kiosk_not_enrolled"));
      window.setTimeout(function () { window.location.assign(d.enrol || "/kiosk/enrol"); },
                        2500);
      return;
    }
    // Refused: say why on the form, keep what was typed, put the cursor where to fix it.
    showProblem((r.error && r.error.message) || t("net_error"));
    var wrong = r.error && r.error.code === "invalid_iin" ? iinInput : codeInput;
    wrong.focus();
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    touched();
    if (busy) { return; }
    var iin = iinInput.value.replace(SEPARATORS, "");
    var code = codeInput.value.trim();
    if (!code || !iin) {
      showProblem(t("kiosk_need_both"));
      (code ? iinInput : codeInput).focus();
      return;
    }
    busy = true;
    submit.disabled = true;
    showProblem("");
    submit.setAttribute("aria-busy", "true");
    K.api("POST", d.api, { code: code, iin: iin })
      .then(function (r) {
        busy = false;
        submit.disabled = false;
        submit.removeAttribute("aria-busy");
        answer(r);
      });
  });

  iinInput.addEventListener("input", function () {
    // Spaces and dashes between digit groups are dropped before anything is cut, so
    // "8507 1540 0129" keeps all twelve digits; anything else typed stays for the
    // server to name ("the IIN has only digits"), never silently lost.
    var clean = iinInput.value.replace(SEPARATORS, "");
    if (clean !== iinInput.value) { iinInput.value = clean; }
  });

  document.getElementById("kiosk-again").addEventListener("click", home);
  ["pointerdown", "keydown", "input", "touchstart"].forEach(function (name) {
    document.addEventListener(name, touched, { passive: true });
  });

  home();
  touched();
}());
