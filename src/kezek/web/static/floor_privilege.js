/* The door's privilege claims: tickets whose claim (pensioner, large family, disability)
   nobody could verify at booking wait here until door staff have seen the document and
   pressed Confirm or Reject. A rejection follows the network's rule (the general queue,
   or the ticket closed), and the notice says which. The list is refreshed whenever the
   door console refreshes its queue (the "kezek:refresh" event), and after each decision.
   No IIN is ever shown or sent: only ticket ids and labels. */
(function () {
  "use strict";
  var K = window.Kezek;
  if (!K) { return; }
  var d = K.data, t = K.t, el = K.el;
  var body = document.getElementById("claims-body");
  var table = document.getElementById("claims-table");
  var none = document.getElementById("claims-none");
  if (!body || !table || !none) { return; }
  var deciding = false;

  function button(ticket, decision) {
    var b = el("button", { type: "button",
                           className: "fl-button " + (decision === "confirm" ? "fl-button-go"
                                                                           : "fl-button-quiet"),
                           "data-ticket": String(ticket.id), "data-label": ticket.label,
                           "data-decision": decision },
               [document.createTextNode(t(decision === "confirm" ? "act_confirm" : "act_reject")),
                el("span", { className: "visually-hidden", text: " " + ticket.label })]);
    return b;
  }

  function draw(claims) {
    K.clear(body);
    claims.forEach(function (c) {
      body.appendChild(el("tr", { "data-ticket": String(c.id) }, [
        el("td", { className: "fl-ticket", text: c.label }),
        el("td", { className: "door-claim", text: t("claim_check_" + c.privilege_claim) }),
        el("td", { className: "door-claim-acts" }, [button(c, "confirm"),
                                                    document.createTextNode(" "),
                                                    button(c, "reject")])]));
    });
    table.hidden = claims.length === 0;
    none.hidden = claims.length !== 0;
  }

  var refresh = K.coalesce(function () {
    return K.api("GET", "/api/v1/centers/" + d.center + "/privilege/claims").then(function (r) {
      if (r.ok && r.body) { draw(r.body); }
    });
  });

  function decide(target) {
    if (deciding) { return; }
    deciding = true;
    var label = target.getAttribute("data-label");
    var decision = target.getAttribute("data-decision");
    K.api("POST", "/api/v1/centers/" + d.center + "/tickets/"
          + target.getAttribute("data-ticket") + "/privilege", { decision: decision })
      .then(function (r) {
        deciding = false;
        if (!r.ok) { K.fail(r.error); refresh(); return; }
        var key = r.body.status === "confirmed" ? "claim_confirmed_msg"
          : (r.body.rule === "refuse" ? "claim_refuse_msg" : "claim_general_msg");
        K.say(t(key, { ticket: label }) + (r.body.told ? " — " + r.body.told : ""));
        // the ticket panel beside the forms no longer asks for the check it just had
        var note = document.getElementById("ticket-claim");
        var shown = document.getElementById("ticket-label");
        if (note && shown && shown.textContent.trim() === label) {
          note.textContent = t(key, { ticket: label });
          note.setAttribute("data-decided", r.body.status);
        }
        refresh();
        document.dispatchEvent(new CustomEvent("kezek:claim-decided"));
      });
  }

  body.addEventListener("click", function (e) {
    var target = e.target && e.target.closest ? e.target.closest("button[data-decision]") : null;
    if (target) { decide(target); }
  });
  document.addEventListener("kezek:refresh", refresh);
}());
