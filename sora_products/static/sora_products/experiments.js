/* sora_products experiments: report what a visitor in an experiment saw and did, in few requests.
   Each experiment mark (an invisible span the server signed for this visitor and arm) is reported once
   its box is half on screen; plays and sound inside that box, a try-on ask and the shop's own
   conversions (SoraExperiments.convert) follow. Reports go at most every few seconds, and at once when
   the page is hidden. Plain JavaScript, no build step, no third-party requests. */
(function () {
  "use strict";

  if (window.SoraExperiments) { return; }

  var script = document.currentScript;
  var url = script ? script.getAttribute("data-events-url") : "";
  var flushMs = Math.max(1, parseFloat(script ? script.getAttribute("data-flush-seconds") : "5") || 5) * 1000;
  var pending = {};      // token -> {event: true} not yet sent
  var sent = {};         // token -> {event: true} already sent: every event once per page
  var conversions = [];
  var timer = null;
  var sentOnce = false;

  function queue(token, event) {
    if (!token) { return; }
    if ((sent[token] || {})[event] || (pending[token] || {})[event]) { return; }
    (pending[token] = pending[token] || {})[event] = true;
    schedule();
  }

  function schedule() {
    if (timer) { return; }
    timer = setTimeout(flush, sentOnce ? flushMs : 200);  // the first report soon, so a quick click is counted
  }

  function flush() {
    clearTimeout(timer);
    timer = null;
    var items = Object.keys(pending).map(function (token) {
      var events = Object.keys(pending[token]);
      sent[token] = sent[token] || {};
      events.forEach(function (event) { sent[token][event] = true; });
      return { token: token, events: events };
    });
    pending = {};
    if (!items.length && !conversions.length) { return; }
    var body = JSON.stringify({ items: items, conversions: conversions });
    conversions = [];
    sentOnce = true;
    if (!url || !window.fetch) { return; }
    fetch(url, {
      method: "POST",
      body: body,
      keepalive: true,  // a report sent as the page goes away still arrives
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" }
    }).catch(function () { /* a lost report loses at most these few seconds of one page */ });
  }

  function keepVisitor(visitor) {
    if (!visitor || document.cookie.indexOf("sora_visitor=") !== -1) { return; }
    document.cookie = "sora_visitor=" + visitor + "; path=/; max-age=31536000; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
  }

  function watch(mark) {
    var box = mark.parentElement;
    var token = mark.getAttribute("data-sora-token");
    if (!box || mark.getAttribute("data-sora-watched") === "1") { return; }
    mark.setAttribute("data-sora-watched", "1");
    keepVisitor(mark.getAttribute("data-sora-visitor"));
    box.addEventListener("play", function () { queue(token, "impression"); queue(token, "play"); }, true);
    box.addEventListener("volumechange", function (event) {
      if (event.target && event.target.muted === false) { queue(token, "sound_on"); }
    }, true);
    if (!window.IntersectionObserver) { queue(token, "impression"); return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { queue(token, "impression"); observer.disconnect(); }
      });
    }, { threshold: 0.5 });
    observer.observe(box);
  }

  function marks() { return document.querySelectorAll("[data-sora-experiment]"); }

  function bindAll() { Array.prototype.forEach.call(marks(), watch); }

  document.addEventListener("sora:try-on", function () {
    Array.prototype.forEach.call(marks(), function (mark) { queue(mark.getAttribute("data-sora-token"), "try_on"); });
  });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { flush(); } });
  window.addEventListener("pagehide", flush);

  window.SoraExperiments = {
    /* The shop's conversion hook: SoraExperiments.convert("add_to_basket", "catalog.product:12"). */
    convert: function (kind, product) {
      var item = { kind: kind };
      if (product) { item.product = product; }
      conversions.push(item);
      flush();
    },
    bind: bindAll,
    flush: flush
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bindAll);
  } else {
    bindAll();
  }
})();
