/* The self check-in kiosk: a citizen types their booking code and IIN; the page posts
   {code, iin} to the arrivals API and shows the ticket number (at a full centre: wait
   outside, your number in the line, the screen by the door calls you in), or says
   plainly what to do instead. The IIN field is emptied as soon as it is read, after
   every attempt; the IIN travels only in the POST body, never in a URL. After a spell without touches the
   kiosk clears everything and returns to its start screen for the next person. */
(function () {
  "use strict";
  var K = window.Kezek;
  if (!K) { return; }
  var d = K.data, t = K.t;
  var IDLE_MS = (d.idle || 20) * 1000;
  var DIGITS = /^[0-9]{12}$/;

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
      showResult("staff", t("kiosk_failed"), "", t("kiosk_see_staff"));
      return;
    }
    if (r.error && r.error.code === "unauthorized") { K.fail(r.error); }  // back to sign-in
    showResult("error", t("kiosk_failed"), "",
               (r.error && r.error.message) || t("net_error"));
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    touched();
    if (busy) { return; }
    var iin = iinInput.value.replace(/\s+/g, "");
    iinInput.value = "";  // read once, never kept on screen
    var code = codeInput.value.trim();
    if (!code || !DIGITS.test(iin)) {
      showProblem(t("kiosk_need_both"));
      (code ? iinInput : codeInput).focus();
      return;
    }
    busy = true;
    submit.disabled = true;
    showProblem("");
    submit.setAttribute("aria-busy", "true");
    K.api("POST", "/api/v1/centers/" + d.center + "/arrivals", { code: code, iin: iin })
      .then(function (r) {
        busy = false;
        submit.disabled = false;
        submit.removeAttribute("aria-busy");
        answer(r);
      });
  });

  iinInput.addEventListener("input", function () {  // digits only, whatever the keyboard
    var clean = iinInput.value.replace(/[^0-9]/g, "").slice(0, 12);
    if (clean !== iinInput.value) { iinInput.value = clean; }
  });

  document.getElementById("kiosk-again").addEventListener("click", home);
  ["pointerdown", "keydown", "input", "touchstart"].forEach(function (name) {
    document.addEventListener(name, touched, { passive: true });
  });

  home();
  touched();
}());
