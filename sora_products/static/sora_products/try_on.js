/* sora_products "see it worn": send the shopper's choices, follow the shared video with a progress
   bar (JSON polling with backoff) and swap the video in when it is ready. Without JavaScript the
   form posts normally and the page shows the status after a redirect. Server text is only ever
   set with textContent. */
(function () {
  "use strict";

  if (window.SoraTryOn) { return; }

  var FIRST_DELAY_MS = 1000;
  var MAX_DELAY_MS = 8000;
  var BACKOFF = 1.5;
  var SLOW_AFTER_MS = 5 * 60 * 1000;
  var MAX_NETWORK_ERRORS = 5;

  function Widget(root) {
    this.root = root;
    this.form = root.querySelector("form");
    this.submit = root.querySelector("[data-sora-submit]");
    this.result = root.querySelector("[data-sora-result]");
    this.message = root.querySelector("[data-sora-message]");
    this.progressBox = root.querySelector("[data-sora-progress]");
    this.progress = this.progressBox ? this.progressBox.querySelector("progress") : null;
    this.videoBox = root.querySelector("[data-sora-video]");
    this.template = root.querySelector("template[data-sora-player-template]");
    this.apiUrl = root.getAttribute("data-api-url");
    this.generation = 0;
    this.timer = null;
    // What the video box plays: a video id, "stand-in-<id>", or "" (the page may have rendered one).
    this.shown = this.videoBox.getAttribute("data-sora-shown") || "";
    var self = this;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.ask();
    });
    this.resume();
  }

  Widget.prototype.text = function (name) { return this.root.getAttribute("data-msg-" + name) || ""; };

  Widget.prototype.csrfToken = function () {
    var input = this.form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };

  Widget.prototype.say = function (text, problem) {
    this.result.hidden = false;
    this.message.textContent = text;
    this.message.classList.toggle("sora-try-on__message--problem", !!problem);
  };

  Widget.prototype.showProgress = function (state) {
    if (!this.progressBox) { return; }
    this.progressBox.hidden = false;
    if (state && state.progress > 0) {
      this.progress.value = state.progress;
    } else {
      this.progress.removeAttribute("value");
    }
  };

  Widget.prototype.hideProgress = function () {
    if (this.progressBox) { this.progressBox.hidden = true; }
  };

  Widget.prototype.busy = function (on) {
    this.submit.disabled = on;
    this.result.setAttribute("aria-busy", on ? "true" : "false");
  };

  Widget.prototype.clearVideo = function () {
    while (this.videoBox.firstChild) { this.videoBox.removeChild(this.videoBox.firstChild); }
    this.shown = "";
  };

  Widget.prototype.showVideo = function (data) {
    this.clearVideo();
    if (!this.template) { return; }
    var fragment = this.template.content.cloneNode(true);
    var player = fragment.querySelector("[data-sora-player]");
    var video = fragment.querySelector("video");
    var profile = data.profile || {};
    var label = this.root.getAttribute("data-aria-template") || "";
    if (profile.height_cm === null || profile.height_cm === undefined) {
      label = this.root.getAttribute("data-aria-plain") || "";  // the product's showcase video stands in
    }
    video.setAttribute("aria-label", label.replace("{height}", profile.height_cm || "").replace("{size}", profile.size || ""));
    if (data.poster_url) { video.setAttribute("poster", data.poster_url); }
    video.setAttribute("src", data.video_url);
    player.setAttribute("data-video-id", String(data.id));
    this.videoBox.appendChild(fragment);
    if (window.SoraPlayer) { window.SoraPlayer.bind(player); }
  };

  // The finished video comes into view (at once for visitors who ask for reduced motion).
  Widget.prototype.reveal = function () {
    var box = this.videoBox;
    var video = box.querySelector("video");
    if (!box.scrollIntoView) { return; }
    var calm = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var scroll = function () { box.scrollIntoView({ behavior: calm ? "auto" : "smooth", block: "nearest" }); };
    scroll();
    // The box has its full height only once the video has a frame to show.
    if (video) { video.addEventListener("loadeddata", scroll, { once: true }); }
  };

  // The nearest live video of the same size and scene plays until the shopper's own one is live.
  Widget.prototype.showStandIn = function (standIn) {
    var key = "stand-in-" + standIn.video_id;
    if (this.shown === key) { return; }
    this.showVideo({
      id: standIn.video_id,
      video_url: standIn.src,
      poster_url: standIn.poster,
      profile: { height_cm: standIn.height_cm, size: standIn.size }
    });
    this.shown = key;
  };

  Widget.prototype.choices = function () {
    var data = new FormData(this.form);
    return {
      product: data.get("product"),
      height_cm: data.get("height_cm"),
      size: data.get("size"),
      scene: data.get("scene")
    };
  };

  Widget.prototype.request = function (url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = options.headers || {};
    options.headers.Accept = "application/json";
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data || {} };
      });
    });
  };

  Widget.prototype.fieldProblems = function (fields) {
    var lines = [];
    Object.keys(fields || {}).forEach(function (name) {
      var value = fields[name];
      (Array.isArray(value) ? value : [value]).forEach(function (line) { lines.push(String(line)); });
    });
    return lines.join(" ");
  };

  Widget.prototype.ask = function () {
    var self = this;
    var generation = ++this.generation;
    if (window.CustomEvent) { this.root.dispatchEvent(new CustomEvent("sora:try-on", { bubbles: true })); }
    clearTimeout(this.timer);
    this.clearVideo();
    this.busy(true);
    this.say(this.text("sending"), false);
    this.showProgress(null);
    this.request(this.apiUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrfToken() },
      body: JSON.stringify(this.choices())
    }).then(function (reply) {
      if (generation !== self.generation) { return; }
      self.busy(false);
      var data = reply.data;
      if (reply.status === 200 || reply.status === 202) {
        self.follow(data, generation);
        return;
      }
      self.hideProgress();
      var extra = reply.status === 400 ? self.fieldProblems(data.fields) : "";
      self.say([data.detail || self.text("error"), extra].join(" ").trim(), true);
    }).catch(function () {
      if (generation !== self.generation) { return; }
      self.busy(false);
      self.hideProgress();
      self.say(self.text("network"), true);
    });
  };

  Widget.prototype.follow = function (data, generation) {
    this.apply(data);
    if (data.done) { return; }
    this.poll(data.status_url, data, generation, FIRST_DELAY_MS, 0, Date.now());
  };

  Widget.prototype.apply = function (data) {
    if (data.ready) {
      this.hideProgress();
      this.say(data.message, false);
      if (this.shown !== String(data.id)) {
        this.showVideo(data);
        this.shown = String(data.id);
        this.reveal();
      }
      return;
    }
    if (data.stand_in) { this.showStandIn(data.stand_in); }
    if (data.done) {
      this.hideProgress();
      this.say(data.message, !data.stand_in && data.state !== "not_made");
    } else {
      this.say(data.message, false);
      this.showProgress(data);
    }
  };

  Widget.prototype.poll = function (url, last, generation, delay, errors, started) {
    var self = this;
    var wait = Math.max(delay, (last.poll_after || 0) * 1000);
    this.timer = setTimeout(function () {
      if (generation !== self.generation) { return; }
      self.request(url, { method: "GET" }).then(function (reply) {
        if (generation !== self.generation) { return; }
        if (reply.status === 200) {
          var data = reply.data;
          if (!data.status_url) { data.status_url = url; }
          if (!data.profile || !Object.keys(data.profile).length) { data.profile = last.profile; }  // only askers get it
          self.apply(data);
          if (data.done) { return; }
          if (data.state !== "delayed" && Date.now() - started > SLOW_AFTER_MS) { self.say(self.text("slow"), false); }
          self.poll(url, data, generation, Math.min(delay * BACKOFF, MAX_DELAY_MS), 0, started);
        } else if (reply.status === 429) {
          self.poll(url, last, generation, MAX_DELAY_MS * 2, errors, started);
        } else {
          self.hideProgress();
          self.say(reply.data.detail || self.text("error"), true);
        }
      }).catch(function () {
        if (generation !== self.generation) { return; }
        if (errors + 1 >= MAX_NETWORK_ERRORS) {
          self.hideProgress();
          self.say(self.text("network"), true);
          return;
        }
        self.poll(url, last, generation, Math.min(delay * 2, MAX_DELAY_MS), errors + 1, started);
      });
    }, wait);
  };

  Widget.prototype.resume = function () {
    var script = this.root.querySelector("script[type='application/json']");
    if (!script) { return; }
    var initial;
    try { initial = JSON.parse(script.textContent); } catch (error) { return; }
    if (!initial || !initial.state || initial.state.done) { return; }
    var state = initial.state;
    state.status_url = initial.status_url;
    state.profile = initial.profile;
    this.follow(state, this.generation);
  };

  function bindAll(root) {
    var widgets = (root || document).querySelectorAll("[data-sora-try-on]");
    Array.prototype.forEach.call(widgets, function (element) {
      if (element.getAttribute("data-sora-bound") === "1") { return; }
      element.setAttribute("data-sora-bound", "1");
      new Widget(element);
    });
  }

  window.SoraTryOn = { bindAll: bindAll };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { bindAll(document); });
  } else {
    bindAll(document);
  }
})();
