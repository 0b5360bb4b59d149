/* sora_products player: start product videos when they scroll into view, never for people who ask
   for reduced motion, with pause and sound buttons. Plain JavaScript, no build step. */
(function () {
  "use strict";

  if (window.SoraPlayer) { return; }

  var motionQuery = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  var observer = null;

  function reducedMotion() { return !!(motionQuery && motionQuery.matches); }

  function attachSource(video) {
    var src = video.getAttribute("data-src");
    if (src && !video.getAttribute("src")) {
      video.setAttribute("src", src);
      video.removeAttribute("data-src");
    }
  }

  function setPlayLabel(player) {
    var button = player.querySelector("[data-sora-play]");
    var video = player.querySelector("video");
    if (!button || !video) { return; }
    var playing = !video.paused;
    button.textContent = playing ? button.getAttribute("data-label-pause") : button.getAttribute("data-label-play");
    button.setAttribute("aria-pressed", playing ? "false" : "true");
  }

  function setSoundLabel(player) {
    var button = player.querySelector("[data-sora-sound]");
    var video = player.querySelector("video");
    if (!button || !video) { return; }
    button.textContent = video.muted ? button.getAttribute("data-label-on") : button.getAttribute("data-label-off");
    button.setAttribute("aria-pressed", video.muted ? "false" : "true");
  }

  function play(player) {
    var video = player.querySelector("video");
    attachSource(video);
    var started = video.play();
    if (started && started.catch) { started.catch(function () { setPlayLabel(player); }); }
  }

  function onVisibility(entries) {
    entries.forEach(function (entry) {
      var player = entry.target;
      var video = player.querySelector("video");
      if (entry.isIntersecting) {
        if (player.getAttribute("data-user-paused") === "1") {
          if (video.getAttribute("data-src")) { video.preload = "metadata"; attachSource(video); }
          return;
        }
        play(player);
      } else if (!video.paused) {
        video.pause();
      }
    });
  }

  function bind(player) {
    if (!player || player.getAttribute("data-sora-bound") === "1") { return; }
    var video = player.querySelector("video");
    if (!video) { return; }
    player.setAttribute("data-sora-bound", "1");
    video.muted = true;
    video.removeAttribute("controls");
    if (reducedMotion()) {
      video.autoplay = false;
      video.removeAttribute("autoplay");
      video.pause();
      player.setAttribute("data-user-paused", "1");
    }
    var controls = player.querySelector("[data-sora-controls]");
    if (controls) {
      controls.hidden = false;
      var playButton = controls.querySelector("[data-sora-play]");
      var soundButton = controls.querySelector("[data-sora-sound]");
      if (playButton) {
        playButton.addEventListener("click", function () {
          if (video.paused) {
            player.removeAttribute("data-user-paused");
            play(player);
          } else {
            player.setAttribute("data-user-paused", "1");
            video.pause();
          }
        });
      }
      if (soundButton) {
        soundButton.addEventListener("click", function () {
          video.muted = !video.muted;
          if (!video.muted && video.paused) { player.removeAttribute("data-user-paused"); play(player); }
          setSoundLabel(player);
        });
      }
      video.addEventListener("play", function () { setPlayLabel(player); });
      video.addEventListener("pause", function () { setPlayLabel(player); });
      video.addEventListener("volumechange", function () { setSoundLabel(player); });
      setPlayLabel(player);
      setSoundLabel(player);
    }
    if (observer) {
      observer.observe(player);
    } else if (player.getAttribute("data-user-paused") !== "1") {
      play(player);
    } else {
      attachSource(video);
    }
  }

  function bindAll(root) {
    var players = (root || document).querySelectorAll("[data-sora-player]");
    Array.prototype.forEach.call(players, bind);
  }

  if ("IntersectionObserver" in window) {
    observer = new IntersectionObserver(onVisibility, { rootMargin: "200px 0px", threshold: 0.01 });
  }

  if (motionQuery && motionQuery.addEventListener) {
    motionQuery.addEventListener("change", function () {
      if (!reducedMotion()) { return; }
      Array.prototype.forEach.call(document.querySelectorAll("[data-sora-player] video"), function (video) {
        video.pause();
        video.closest("[data-sora-player]").setAttribute("data-user-paused", "1");
      });
    });
  }

  window.SoraPlayer = { bind: bind, bindAll: bindAll, reducedMotion: reducedMotion };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { bindAll(document); });
  } else {
    bindAll(document);
  }
})();
