/* The transfer target as a type-to-filter list (the ARIA combobox pattern): the operator
   types part of a service's name (or its code), the list narrows as they type, ↑ ↓ move
   through what is left, Enter or a click picks. A <select> of 171 services was one
   mis-click from the wrong one and could not be searched by a word in the middle.
   K.combo(input, list, onPick) -> {selected(), reset(), disable(flag)}. */
(function () {
  "use strict";
  var K = window.Kezek;
  if (!K) { return; }
  var t = K.t;

  function combo(input, list, count, onPick) {
    var options = Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    var keys = options.map(function (o) {
      return (o.textContent + " " + o.getAttribute("data-code")).toLocaleLowerCase();
    });
    var active = -1, chosen = null;

    function visible() { return options.filter(function (o) { return !o.hidden; }); }

    function setActive(option) {
      options.forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
      active = option ? options.indexOf(option) : -1;
      if (option) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(null);
    }

    function filter() {
      var words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (o, i) {
        var match = words.every(function (w) { return keys[i].indexOf(w) >= 0; });
        o.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = shown ? t("transfer_count", { n: shown }) : t("transfer_none");
      open();
      setActive(visible()[0] || null);
    }

    function pick(option) {
      chosen = { code: option.getAttribute("data-code"), name: option.textContent };
      input.value = chosen.name;
      close();
      onPick(chosen);
    }

    function move(step) {
      var shown = visible();
      if (!shown.length) { return; }
      if (list.hidden) { open(); }
      var at = shown.indexOf(options[active]);
      at = at < 0 ? (step > 0 ? 0 : shown.length - 1)
                  : Math.min(shown.length - 1, Math.max(0, at + step));
      setActive(shown[at]);
    }

    input.addEventListener("input", function () { chosen = null; filter(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
      else if (e.key === "Enter") {
        e.preventDefault();
        var shown = visible();
        if (!list.hidden && active >= 0) { pick(options[active]); }
        else if (chosen) { onPick(chosen); }
        else if (shown.length === 1) { pick(shown[0]); }
        else { filter(); }
      } else if (e.key === "Escape") {
        e.preventDefault();
        if (!list.hidden) { close(); } else { input.blur(); }
      }
    });
    input.addEventListener("blur", function () { close(); });
    // mousedown, not click: the input keeps its focus, so blur does not close the list first
    list.addEventListener("mousedown", function (e) {
      var option = e.target.closest ? e.target.closest("[role=option]") : null;
      e.preventDefault();
      if (option) { pick(option); }
    });

    return {
      selected: function () { return chosen && input.value === chosen.name ? chosen : null; },
      reset: function () {
        chosen = null;
        input.value = "";
        options.forEach(function (o) { o.hidden = false; });
        close();
      },
      disable: function (flag) { input.disabled = flag; if (flag) { close(); } }
    };
  }

  K.combo = combo;
}());
