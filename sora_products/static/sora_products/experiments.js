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
  var retried = false;
  var onScreen = {};     // token -> true while its box is half on screen

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
    var report = { items: items, conversions: conversions };
    conversions = [];
    sentOnce = true;
    if (!url || !window.fetch) { return; }
    fetch(url, {
      method: "POST",
      body: JSON.stringify(report),
      keepalive: true,  // a report sent as the page goes away still arrives
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" }
    }).then(function (response) {
      if (response.status >= 500 || response.status === 429) { retry(report); }
    }).catch(function () { retry(report); });
  }

  // A report that did not arrive goes again with the next one, once: at most one page's few seconds are lost.
  function retry(report) {
    if (report.retried) { return; }
    report.items.forEach(function (item) {
      item.events.forEach(function (event) {
        delete (sent[item.token] || {})[event];
        queue(item.token, event);
      });
    });
    conversions = report.conversions.concat(conversions);
    retried = true;
    schedule();
  }

  function keepVisitor(visitor) {
    // The server chose this id (the cookie's own when it was valid): keep it, replacing a bad or missing one.
    if (!visitor || document.cookie.indexOf("sora_visitor=" + visitor) !== -1) { return; }
    document.cookie = "sora_visitor=" + visitor + "; path=/; max-age=31536000; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
  }

  function watch(mark) {
    var box = mark.parentElement;
    var token = mark.getAttribute("data-sora-token");
    if (!box || mark.getAttribute("data-sora-watched") === "1") { return; }
    mark.setAttribute("data-sora-watched", "1");
    keepVisitor(mark.getAttribute("data-sora-visitor"));
    // A play counts when the video actually plays while its box is on screen (autoplay starts it a little
    // early, and not at all for visitors who ask for reduced motion); sound on is the visitor's own choice.
    box.addEventListener("timeupdate", function (event) {
      if (onScreen[token] && event.target && event.target.currentTime > 0) { queue(token, "play"); }
    }, true);
    box.addEventListener("volumechange", function (event) {
      if (onScreen[token] && event.target && event.target.muted === false) { queue(token, "sound_on"); }
    }, true);
    if (!window.IntersectionObserver) { onScreen[token] = true; queue(token, "impression"); return; }
    // Half on screen: half the box, or half the window for a box taller than the window (a product page's media).
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var wanted = Math.min(entry.boundingClientRect.height, window.innerHeight) * 0.5;
        onScreen[token] = entry.isIntersecting && entry.intersectionRect.height >= wanted;
        if (onScreen[token]) { queue(token, "impression"); }
      });
    }, { threshold: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] });
    observer.observe(box);
  }

  function marks() { return document.querySelectorAll("[data-sora-experiment]"); }

  function bindAll() { Array.prototype.forEach.call(marks(), watch); }

  // A try-on ask counts for the marks this visitor has seen (the product page's own), not every mark of a page.
  document.addEventListener("sora:try-on", function () {
    Array.prototype.forEach.call(marks(), function (mark) {
      var token = mark.getAttribute("data-sora-token");
      if ((sent[token] || {}).impression || (pending[token] || {}).impression) { queue(token, "try_on"); }
    });
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
