/* The operator console: one window's current ticket, its actions and shortcuts, and who
   waits for the services this window serves. Every action is one fetch() to the floor
   API; the waiting list follows the centre's event stream and a 10 s refresh.
   The steps that are hard to take back ask first (floor_confirm.js): a no-show (and then
   offers Undo for the server's undo minutes), a transfer (picked from the type-to-filter
   list of floor_transfer.js) and the end of the shift. */
(function () {
  "use strict";
  var K = window.Kezek;
  if (!K || !K.confirm || !K.combo) { return; }
  var d = K.data, t = K.t;
  var windowId = d.window.id, windowNumber = d.window.number;
  var serves = {};
  (d.serves || []).forEach(function (code) { serves[code] = true; });
  var ticket = d.ticket || null;
  var state = d.state || "closed";
  var shiftEnded = Boolean(d.shift_ended);  // call-next refuses until the window is opened
  var busy = false;
  var version = 0;  // moves on every change this page makes
  var REFRESH_MS = 10000;
  var UNDO_MS = (d.undo_minutes || 0) * 60000;

  var SHORTCUTS = { KeyN: "call", KeyR: "recall", KeyS: "start", KeyF: "finish",
                    KeyX: "no_show", KeyP: "pause", KeyT: "transfer", KeyU: "undo" };
  var buttons = {};
  Array.prototype.forEach.call(document.querySelectorAll("[data-action]"), function (b) {
    buttons[b.getAttribute("data-action")] = b;
  });
  var transferInput = document.getElementById("transfer-service");
  var transfer = K.combo(transferInput, document.getElementById("transfer-list"),
                         document.getElementById("transfer-count"),
                         function () { run("transfer"); });

  function serviceName(code) {
    var info = (d.services || {})[code];
    return info ? info.name : code;
  }

  function allowed(action) {
    var status = ticket ? ticket.status : null;
    switch (action) {
      case "call": return !ticket && state !== "paused" && !shiftEnded;
      case "recall": case "start": case "no_show": return status === "called";
      case "finish": return status === "serving";
      case "transfer": return status === "called" || status === "serving";
      case "pause": return true;
      case "end_shift": return !ticket;
      default: return false;
    }
  }

  function show() {
    var section = document.getElementById("current");
    section.setAttribute("data-status", ticket ? ticket.status : "none");
    document.getElementById("ticket-label").textContent = ticket ? ticket.label : "—";
    document.getElementById("ticket-status").textContent =
      ticket ? t("tstatus_" + ticket.status) : t("no_current");
    document.getElementById("ticket-services").textContent =
      ticket ? (ticket.services || []).map(serviceName).join(", ") : "";
    document.getElementById("ticket-booked").textContent =
      ticket && ticket.booked_time ? t("booked_at", { time: ticket.booked_time }) : "";
    document.getElementById("ticket-calls").textContent =
      ticket && ticket.calls ? t("calls_count", { n: ticket.calls }) : "";
    var stateBox = document.getElementById("window-state");
    stateBox.textContent = t("state_" + state);
    stateBox.setAttribute("data-state", state);
    document.getElementById("pause-text").textContent =
      t(shiftEnded ? "act_reopen" : state === "paused" ? "act_resume" : "act_pause");
    Object.keys(buttons).forEach(function (action) {
      var ok = allowed(action) && !busy;
      buttons[action].setAttribute("aria-disabled", ok ? "false" : "true");
    });
    transfer.disable(!allowed("transfer"));
  }

  function adopt(out) {
    ticket = out && (out.status === "called" || out.status === "serving") ? {
      id: out.id, label: out.label, status: out.status, services: out.services,
      calls: out.calls, booked_time: out.booked_time || null } : null;
  }

  function request(method, path, body) {
    busy = true;
    version += 1;
    show();
    return K.api(method, path, body).then(function (result) {
      busy = false;
      version += 1;
      if (!result.ok) {
        K.fail(result.error);
        refresh();  // the floor may have moved on: show it as it is
      }
      show();
      return result;
    });
  }

  /* The Undo bar: shown after a no-show for the server's undo minutes, counting down.
     The server decides (409 undo_expired once the time is over); the bar only offers. */
  var undo = { bar: document.getElementById("undo-bar"), target: null, until: 0, timer: 0 };

  function clock(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }

  function tickUndo() {
    var left = undo.until - Date.now();
    if (left <= 0) { hideUndo(); return; }
    document.getElementById("undo-left").textContent = t("undo_left", { time: clock(left) });
  }

  function offerUndo(target) {
    if (!UNDO_MS) { return; }
    hideUndo();
    undo.target = target;
    undo.until = Date.now() + UNDO_MS;
    document.getElementById("undo-text").textContent = t("undo_bar", { ticket: target.label });
    undo.bar.hidden = false;
    tickUndo();
    undo.timer = window.setInterval(tickUndo, 1000);
  }

  function hideUndo() {
    window.clearInterval(undo.timer);
    undo.bar.hidden = true;
    undo.target = null;
  }

  var actions = {
    call: function () {
      return request("POST", "/api/v1/windows/" + windowId + "/call-next").then(function (r) {
        if (!r.ok) { return; }
        if (state !== "paused") { state = "open"; }
        if (r.body && r.body.ticket) {
          hideUndo();  // the window has someone else now: the server would refuse it
          adopt(r.body.ticket);
          K.say(t("msg_called", { ticket: r.body.ticket.label }));
        } else {
          K.say(t("msg_nobody"));
        }
      });
    },
    recall: function () { return ticketAction("recall"); },
    start: function () { return ticketAction("start"); },
    finish: function () { return ticketAction("finish"); },
    no_show: function () {
      var target = ticket;
      return K.confirm({
        title: t("confirm_no_show_title"),
        body: t("confirm_no_show_body", { ticket: target.label, n: d.undo_minutes || 0 }),
        ok: t("confirm_no_show_ok")
      }).then(function (yes) { return yes ? ticketAction("no-show", undefined, target) : null; });
    },
    transfer: function () {
      var target = ticket, chosen = transfer.selected();
      if (!chosen) {
        K.say(t("transfer_pick"));
        transferInput.focus();
        return Promise.resolve();
      }
      return K.confirm({
        title: t("confirm_transfer_title"),
        body: t("confirm_transfer_body", { ticket: target.label, service: chosen.name }),
        ok: t("act_transfer")
      }).then(function (yes) {
        if (!yes) { return null; }
        return ticketAction("transfer", { service: chosen.code }, target).then(function () {
          if (!ticket) { transfer.reset(); }
        });
      });
    },
    pause: function () {
      var next = state === "paused" || shiftEnded ? "open" : "paused";
      return request("POST", "/api/v1/windows/" + windowId + "/state", { state: next })
        .then(function (r) {
          if (!r.ok) { return; }
          state = (r.body && r.body.state) || next;
          shiftEnded = false;
          K.say(t("msg_state", { state: t("state_" + state) }));
        });
    },
    end_shift: function () {
      return K.confirm({
        title: t("confirm_end_title"), body: t("confirm_end_body", { n: windowNumber }),
        ok: t("act_end_shift"), focus: "cancel"
      }).then(function (yes) {
        if (!yes) { return null; }
        return request("POST", "/api/v1/windows/" + windowId + "/end-shift").then(function (r) {
          if (!r.ok) { return; }
          hideUndo();
          state = (r.body && r.body.state) || "closed";
          shiftEnded = true;
          K.say(t("msg_shift_ended"));
        });
      });
    }
  };

  function ticketAction(verb, body, target) {
    var current = target || ticket;
    var label = current.label;
    return request("POST", "/api/v1/tickets/" + current.id + "/" + verb, body)
      .then(function (r) {
        if (!r.ok) { return; }
        adopt(r.body);
        if (r.body.status === "no_show") { offerUndo({ id: r.body.id, label: label }); }
        if (verb === "transfer") { K.say(t("msg_transferred", { ticket: label })); }
        else if (ticket) { K.say(t("tstatus_" + ticket.status) + ": " + label); }
        else { K.say(t("msg_done", { ticket: label }) + " — " + t("tstatus_" + r.body.status)); }
      });
  }

  function undoNoShow() {
    var target = undo.target;
    if (!target || busy) { return; }
    request("POST", "/api/v1/tickets/" + target.id + "/undo-no-show", { window: windowId })
      .then(function (r) {
        hideUndo();
        if (!r.ok) { return; }
        adopt(r.body);
        K.say(t("msg_undone", { ticket: target.label }));
        show();
        refresh();
        buttons.start.focus();
      });
  }

  function run(action) {
    if (busy || K.confirming()) { return; }
    if (!allowed(action)) {
      K.say(t(action !== "call" ? "msg_unavailable"
              : shiftEnded ? "msg_shift_over" : state === "paused" ? "msg_paused"
              : "msg_unavailable"));
      return;
    }
    actions[action]().then(function () { show(); refresh(); });
  }

  function waitingRow(entry) {
    var over = (entry.services || []).some(function (code) {
      var info = (d.services || {})[code];
      return info && info.max_wait && entry.waited_minutes > info.max_wait;
    });
    var label = K.el("td", { className: "fl-ticket" }, [
      document.createTextNode(entry.label),
      entry.privileged ? K.el("span", { className: "fl-badge fl-badge-priv",
                                        text: t("privileged") }) : null]);
    var kind = entry.kind !== "booked" ? t("kind_walk_in")
      : entry.booked_time ? t("kind_booked_at", { time: entry.booked_time }) : t("kind_booked");
    var service = K.el("td", {}, [
      document.createTextNode((entry.services || []).map(serviceName).join(", ")),
      K.el("span", { className: "fl-sub", text: kind })]);
    var waited = K.el("td", { className: "num" + (over ? " fl-over" : "") }, [
      document.createTextNode(t("min_short", { n: entry.waited_minutes })),
      over ? K.el("span", { className: "fl-sub", text: t("over_standard") }) : null]);
    return K.el("tr", { "data-ticket": entry.label }, [label, service, waited]);
  }

  function render(queue, fresh) {
    var waiting = (queue.entries || []).filter(function (e) {
      return e.status === "waiting" && (e.services || []).some(function (c) { return serves[c]; });
    });
    var body = document.getElementById("waiting-body");
    K.clear(body);
    waiting.forEach(function (e) { body.appendChild(waitingRow(e)); });
    document.getElementById("waiting-table").hidden = waiting.length === 0;
    document.getElementById("waiting-empty").hidden = waiting.length > 0;
    document.getElementById("waiting-count").textContent = t("waiting_count", { n: waiting.length });
    if (!fresh) { return; }
    var mine = (queue.windows || []).filter(function (w) { return w.id === windowId; })[0];
    if (mine) { state = mine.state; shiftEnded = Boolean(mine.shift_ended); }
    var here = (queue.entries || []).filter(function (e) {
      return e.window === windowNumber && (e.status === "called" || e.status === "serving");
    })[0];
    if (!here) { ticket = null; }
    else if (!ticket || ticket.id !== here.ticket_id || ticket.status !== here.status) {
      ticket = { id: here.ticket_id, label: here.label, status: here.status,
                 services: here.services, booked_time: here.booked_time || null,
                 calls: ticket && ticket.id === here.ticket_id ? ticket.calls : 0 };
    }
  }

  var refresh = K.coalesce(function () {
    var seen = version;
    return K.api("GET", "/api/v1/centers/" + d.center + "/queue").then(function (r) {
      if (!r.ok) { if (r.status === 401) { K.fail(r.error); } return; }
      render(r.body, seen === version && !busy);
      show();
      K.stamp();
    });
  });

  Object.keys(buttons).forEach(function (action) {
    if (action === "transfer") { return; }
    buttons[action].addEventListener("click", function () { run(action); });
  });
  document.getElementById("undo-button").addEventListener("click", undoNoShow);
  document.getElementById("transfer-form").addEventListener("submit", function (e) {
    e.preventDefault();
    run("transfer");
  });
  document.addEventListener("keydown", function (e) {
    var action = SHORTCUTS[e.code];
    if (!action || e.repeat || K.typing(e) || K.confirming()) { return; }
    e.preventDefault();
    if (action === "undo") {
      if (undo.target) { undoNoShow(); } else { K.say(t("msg_unavailable")); }
      return;
    }
    if (action === "transfer") {
      if (allowed("transfer")) { transferInput.focus(); } else { K.say(t("msg_unavailable")); }
      return;
    }
    run(action);
  });

  show();
  refresh();
  K.live(d.center, function () { refresh(); }, function () { refresh(); });
  window.setInterval(refresh, REFRESH_MS);
}());
