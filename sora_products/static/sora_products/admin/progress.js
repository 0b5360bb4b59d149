/* sora_products admin: keeps progress bars, statuses and players current without reloading the page.
 *
 * Every element with data-sora-video="<id>" and data-sora-active="1" is polled through the status URL in
 * its data-sora-status-url. Server text is only ever set with textContent, never parsed as HTML.
 */
(function () {
  "use strict";

  var FAST_MS = 1500;
  var SLOW_MS = 5000;
  var SLOW_AFTER_MS = 120000;
  var started = Date.now();
  var running = false;

  function activeElements() {
    return document.querySelectorAll("[data-sora-video][data-sora-active='1']");
  }

  function groupByUrl() {
    var groups = {};
    activeElements().forEach(function (el) {
      var url = el.getAttribute("data-sora-status-url");
      var id = el.getAttribute("data-sora-video");
      if (!url || !id) return;
      groups[url] = groups[url] || [];
      if (groups[url].indexOf(id) === -1) groups[url].push(id);
    });
    return groups;
  }

  function makePlayer(video, el) {
    var small = el.classList.contains("sora-preview--small");
    var player = document.createElement("video");
    player.controls = !small;
    player.loop = small;
    player.muted = true;
    player.playsInline = true;
    player.setAttribute("playsinline", "");
    player.setAttribute("muted", "");
    player.preload = "metadata";
    if (video.poster_url) player.poster = video.poster_url;
    var source = document.createElement("source");
    source.src = video.video_url;
    source.type = "video/mp4";
    player.appendChild(source);
    player.appendChild(document.createTextNode(video.player_fallback || ""));
    if (small) hoverPlay(player);
    return player;
  }

  function hoverPlay(player) {
    player.addEventListener("mouseenter", function () {
      var playing = player.play();
      if (playing && playing.catch) playing.catch(function () {});
    });
    player.addEventListener("mouseleave", function () {
      player.pause();
    });
  }

  function updatePreview(el, video) {
    if (video.video_url) {
      if (!el.querySelector("video")) el.replaceChildren(makePlayer(video, el));
    } else if (video.poster_url && !el.querySelector("img")) {
      var img = document.createElement("img");
      img.src = video.poster_url;
      img.alt = "";
      el.replaceChildren(img);
    }
  }

  function updateState(el, video) {
    var badge = el.querySelector(".sora-status");
    if (badge) {
      badge.textContent = video.status_label;
      badge.className = "sora-status sora-status--" + video.status;
    }
    var progress = el.querySelector(".sora-progress");
    var bar = el.querySelector(".sora-progress__bar");
    var label = el.querySelector(".sora-progress__label");
    if (progress && bar) {
      progress.setAttribute("aria-valuenow", String(video.progress));
      bar.style.width = video.progress + "%";
      if (label) label.textContent = video.progress + "%";
    }
    var error = el.querySelector(".sora-error");
    if (video.error) {
      if (!error) {
        error = document.createElement("span");
        error.className = "sora-error";
        el.appendChild(error);
      }
      error.textContent = video.error;
    } else if (error) {
      error.remove();
    }
  }

  function followPage(video) {
    // A video's own page shows fields and buttons for one status: when it moves on, show the page anew.
    var page = document.querySelector("[data-sora-follow='" + video.id + "']");
    if (page && page.getAttribute("data-sora-follow-status") !== video.status) {
      page.setAttribute("data-sora-follow-status", video.status);
      window.location.reload();
      return true;
    }
    return false;
  }

  function apply(video) {
    if (followPage(video)) return;
    document.querySelectorAll("[data-sora-video='" + video.id + "']").forEach(function (el) {
      el.setAttribute("data-sora-active", video.active ? "1" : "0");
      el.setAttribute("data-sora-status", video.status);
      if (el.classList.contains("sora-preview")) updatePreview(el, video);
      else updateState(el, video);
      el.querySelectorAll("[data-sora-field]").forEach(function (field) {
        var name = field.getAttribute("data-sora-field");
        var value = name === "review" ? video.review_label : video[name];
        if (value !== undefined && value !== null) field.textContent = value;
        if (name === "review") field.className = "sora-review sora-review--" + video.review_state;
      });
    });
  }

  function schedule() {
    var delay = Date.now() - started > SLOW_AFTER_MS ? SLOW_MS : FAST_MS;
    window.setTimeout(poll, delay);
  }

  function poll() {
    var groups = groupByUrl();
    var urls = Object.keys(groups);
    if (!urls.length) {
      running = false;
      return;
    }
    var requests = urls.map(function (url) {
      var query = (url.indexOf("?") === -1 ? "?" : "&") + "ids=" + groups[url].slice(0, 100).join(",");
      return fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && data.videos) data.videos.forEach(apply);
        })
        .catch(function () {});
    });
    Promise.all(requests).then(schedule);
  }

  function start() {
    document.querySelectorAll(".sora-preview--small video").forEach(hoverPlay);
    if (!running && activeElements().length) {
      running = true;
      schedule();
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) start();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
