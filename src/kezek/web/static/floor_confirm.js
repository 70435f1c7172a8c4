/* The consoles' confirm step: a modal <dialog> (the page behind is inert and focus stays
   inside it, Escape or "Cancel" answers no, focus goes back to where it was), never
   window.confirm, which screen readers announce poorly and which blocks the live page.
   K.confirm({title, body, ok, focus}) resolves to true only for the confirm button. */
(function () {
  "use strict";
  var K = window.Kezek;
  if (!K) { return; }
  var dialog = document.getElementById("confirm-dialog");
  var pending = null, opener = null;

  function confirm(options) {
    if (!dialog || typeof dialog.showModal !== "function") { return Promise.resolve(false); }
    if (pending) { return Promise.resolve(false); }
    document.getElementById("confirm-title").textContent = options.title;
    document.getElementById("confirm-body").textContent = options.body;
    document.getElementById("confirm-ok").textContent = options.ok;
    opener = document.activeElement;
    dialog.returnValue = "";
    dialog.showModal();
    document.getElementById(options.focus === "cancel" ? "confirm-cancel" : "confirm-ok")
      .focus();
    return new Promise(function (resolve) { pending = resolve; });
  }

  if (dialog) {
    dialog.addEventListener("close", function () {
      var done = pending;
      pending = null;
      if (opener && typeof opener.focus === "function" && document.contains(opener)) {
        opener.focus();
      }
      if (done) { done(dialog.returnValue === "ok"); }
    });
  }

  K.confirm = confirm;
  K.confirming = function () { return Boolean(dialog && dialog.open); };
}());
