/* The manager's live view: queue length and longest wait per service against the
   service's maximum wait (inside and in the line outside), window states, occupancy, the
   line outside a full centre and its longest wait, and no-shows today. Follows the
   centre's event stream, with a 10 s refresh besides. */
(function () {
  "use strict";
  var K = window.Kezek;
  if (!K) { return; }
  var d = K.data, t = K.t, el = K.el;
  var noShows = d.no_shows || 0;
  var REFRESH_MS = 10000;

  function name(code) { var s = (d.services || {})[code]; return s ? s.name : code; }

  function cell(text, className) {
    return el("td", className ? { className: className, text: text } : { text: text });
  }

  function loads(services) {
    var body = document.getElementById("load-body");
    K.clear(body);
    services.forEach(function (s) {
      var met = s.within_standard;
      var status = el("td", {}, [el("span", {
        className: "std " + (met ? "std-met" : "std-missed"),
        text: t(met ? "std_met" : "std_missed") })]);
      body.appendChild(el("tr", { "data-service": s.service }, [
        cell(name(s.service)), cell(String(s.waiting), "num"),
        cell(t("min_short", { n: s.longest_wait_minutes }), "num" + (met ? "" : " fl-over")),
        cell(t("min_short", { n: s.max_wait_minutes }), "num"), status]));
    });
    document.getElementById("load-table").hidden = services.length === 0;
    document.getElementById("load-empty").hidden = services.length > 0;
  }

  function windows(list) {
    var body = document.getElementById("windows-body");
    K.clear(body);
    list.forEach(function (w) {
      var number = el("td", { className: "fl-ticket" }, [
        document.createTextNode(String(w.number)),
        w.privilege ? el("span", { className: "fl-badge fl-badge-priv",
                                   text: t("window_privilege") }) : null]);
      var state = el("td", {}, [el("span", { className: "fl-state", "data-state": w.state,
                                             text: t("state_" + w.state) })]);
      body.appendChild(el("tr", {}, [number, state, cell(w.ticket || "—", "fl-ticket")]));
    });
  }

  function stats(q) {
    var waiting = (q.entries || []).filter(function (e) { return e.status === "waiting"; });
    document.getElementById("stat-queue").textContent = String(waiting.length);
    document.getElementById("stat-people").textContent = String(q.occupancy);
    var line = q.outside || { count: 0, longest_wait_minutes: 0 };
    document.getElementById("stat-outside").textContent = String(line.count);
    document.getElementById("stat-outside-note").textContent = line.count
      ? t("outside_longest", { n: line.longest_wait_minutes }) : "";
    var open = (q.windows || []).filter(function (w) { return w.state === "open"; }).length;
    document.getElementById("stat-windows").textContent = open + " / " + (q.windows || []).length;
    document.getElementById("stat-no-shows").textContent = String(noShows);
  }

  var refresh = K.coalesce(function () {
    return K.api("GET", "/api/v1/centers/" + d.center + "/queue").then(function (r) {
      if (!r.ok) { K.fail(r.error); return; }
      K.say("");
      stats(r.body);
      loads(r.body.services || []);
      windows(r.body.windows || []);
      K.stamp();
    });
  });

  refresh();
  K.live(d.center, function (m) {
    if (m && m.type === "no_show") { noShows += 1; }
    if (m && m.type === "no_show_undone") { noShows = Math.max(0, noShows - 1); }
    refresh();
  }, refresh);
  window.setInterval(refresh, REFRESH_MS);
}());
