// Kezek: the ALTCHA widget with its SHA-256 worker served from our own origin.
// The widget solves the page's challenge when the page loads and fills the hidden
// field "altcha"; the form works the same without it (see kezek/web/pow.py).
import "./altcha/altcha.min.js";

globalThis.$altcha.algorithms.set("SHA-256", () => new Worker("/static/altcha/sha.js"));

// A challenge lasts 5 minutes; someone slow to fill the form gets a fresh one solved.
for (const widget of document.querySelectorAll("altcha-widget")) {
  widget.addEventListener("expired", () => {
    widget.reset();
    widget.verify();
  });
}
