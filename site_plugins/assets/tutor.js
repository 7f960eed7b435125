/* The reader's side of a tutor site: values, progress and check ticks, kept in this browser.
 *
 * Everything is stored in localStorage under keys scoped to the site's root path; nothing
 * leaves the browser. Secret variables are never stored: a stored secret (from an older
 * page, or typed by hand into storage) is dropped on load. The page works without this
 * script: it then shows every default, and the buttons stay hidden.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL(".", new URL("../..", script.src)).href;  /* assets/tutor/tutor.js → site root */
  var site = window.tutorSite || { order: [], variables: {}, sections: [] };
  var prefix = "tutor:" + new URL(root).pathname + ":";
  var SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|KEY)$/i;

  function load(key, fallback) {
    try {
      var raw = window.localStorage.getItem(prefix + key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(prefix + key, JSON.stringify(value)); } catch (e) { /* storage off: session only */ }
  }
  function forget(key) {
    try { window.localStorage.removeItem(prefix + key); } catch (e) { /* nothing stored */ }
  }
  function isSecret(name) {
    var declared = site.variables[name];
    return SECRET_NAME.test(name) || !!(declared && declared.secret);
  }

  /* ---- values ---- */
  function readValues() {
    var stored = load("values", {});
    var clean = {}, dropped = false;
    Object.keys(stored || {}).forEach(function (name) {
      if (isSecret(name) || typeof stored[name] !== "string") { dropped = true; return; }
      clean[name] = stored[name];
    });
    if (dropped) save("values", clean);
    return clean;
  }
  var values = readValues();

  function quote(value, how) {
    if (how === "single") return "'" + value.replace(/'/g, "'\\''") + "'";
    if (how === "double") return value.replace(/([\\$`"])/g, "\\$1");
    if (how === "heredoc") return value.replace(/([\\$`])/g, "\\$1");
    if (how === "none") {
      /* Unquoted: the shell splits the value into words, so the page shows those words. */
      return value.split(/[ \t\n]+/).filter(Boolean).map(function (word) {
        return /^[A-Za-z0-9_@%+=:,.\/-]+$/.test(word) ? word : "'" + word.replace(/'/g, "'\\''") + "'";
      }).join(" ");
    }
    return value;  /* "text": a sentence */
  }
  function valueOf(name) {
    if (Object.prototype.hasOwnProperty.call(values, name)) return values[name];
    var declared = site.variables[name];
    return declared && typeof declared["default"] === "string" ? declared["default"] : null;
  }
  function showValues() {
    document.querySelectorAll("[data-tutor-var]").forEach(function (span) {
      var name = span.getAttribute("data-tutor-var");
      if (isSecret(name)) return;
      var value = valueOf(name);
      /* No value and no default: the reference as written ($NAME) stays. */
      span.textContent = value === null ? span.getAttribute("data-tutor-ref") : quote(value, span.getAttribute("data-tutor-quote"));
      span.classList.toggle("tutor-var--yours", Object.prototype.hasOwnProperty.call(values, name));
    });
  }
  document.querySelectorAll("[data-tutor-input]").forEach(function (input) {
    var name = input.getAttribute("data-tutor-input");
    if (isSecret(name)) { input.remove(); return; }
    input.disabled = false;
    if (Object.prototype.hasOwnProperty.call(values, name)) input.value = values[name];
    input.addEventListener("input", function () {
      if (input.value === "") delete values[name]; else values[name] = input.value;
      save("values", values);
      showValues();
    });
  });
  document.querySelectorAll("[data-tutor-forget]").forEach(function (button) {
    button.parentNode.hidden = false;
    button.addEventListener("click", function () {
      values = {};
      forget("values");
      document.querySelectorAll("[data-tutor-input]").forEach(function (input) { input.value = ""; });
      showValues();
    });
  });
  window.addEventListener("storage", function () { values = readValues(); showValues(); });
  showValues();

  /* ---- progress ---- */
  var bySlug = {};
  site.order.forEach(function (t) { bySlug[t.slug] = t; });
  function done() { return load("done", []).filter(function (s) { return bySlug[s]; }); }
  function isDone(slug) { return done().indexOf(slug) >= 0; }
  function setDone(slug, flag) {
    var list = done().filter(function (s) { return s !== slug; });
    if (flag) list.push(slug);
    save("done", list);
  }
  function url(t) { return root + t.url; }
  function slugOf(href) {
    var path = new URL(href, window.location.href).pathname.replace(/index\.html$/, "");
    for (var i = 0; i < site.order.length; i++) {
      if (new URL(url(site.order[i])).pathname === path) return site.order[i].slug;
    }
    return null;
  }
  function mark(element, flag, words) {
    element.classList.toggle("tutor-is-done", flag);
    var note = element.querySelector(":scope > .tutor-done-note");
    if (!note) {
      note = document.createElement("span");
      note.className = "tutor-done-note";
      element.appendChild(note);
    }
    note.textContent = flag ? words[0] : words[1];
  }
  function showProgress() {
    var finished = done();
    document.querySelectorAll(".md-nav__link[href]").forEach(function (link) {
      var slug = slugOf(link.getAttribute("href"));
      if (slug) mark(link, finished.indexOf(slug) >= 0, [" (done)", ""]);
    });
    document.querySelectorAll(".tutor-prerequisites li").forEach(function (item) {
      /* Only the tutorials to finish first; a condition's "provided by" link is not one. */
      var link = item.firstElementChild && item.firstElementChild.matches("a[href]") ? item.firstElementChild : null;
      var slug = link && slugOf(link.getAttribute("href"));
      if (slug) mark(item, finished.indexOf(slug) >= 0, [" — done", " — not done yet"]);
    });
    document.querySelectorAll("[data-tutor-diagram] ~ .md-typeset__scrollwrap td a[href], .md-typeset__scrollwrap td a[href]").forEach(function (link) {
      if (!document.querySelector("[data-tutor-diagram]")) return;
      var slug = slugOf(link.getAttribute("href"));
      if (slug) mark(link, finished.indexOf(slug) >= 0, [" ✓ done", ""]);
    });
    document.querySelectorAll("[data-tutor-slug]").forEach(function (item) {
      mark(item, finished.indexOf(item.getAttribute("data-tutor-slug")) >= 0, [" — done", ""]);
    });
    document.querySelectorAll("[data-tutor-count]").forEach(function (counter) {
      var section = counter.getAttribute("data-tutor-count");
      var members = site.order.filter(function (t) { return section === "" || t.section === section; });
      var count = members.filter(function (t) { return finished.indexOf(t.slug) >= 0; }).length;
      counter.textContent = count + " of " + members.length + " done";
    });
    var next = site.order.filter(function (t) { return finished.indexOf(t.slug) < 0; })[0];
    document.querySelectorAll("[data-tutor-continue]").forEach(function (link) {
      if (next) {
        link.href = url(next);
        link.textContent = "Continue: " + next.title;
      } else {
        link.href = root + site.progress;
        link.textContent = "All done: see your progress";
      }
    });
    document.querySelectorAll("[data-tutor-done]").forEach(function (button) {
      var flag = finished.indexOf(button.getAttribute("data-tutor-done")) >= 0;
      button.setAttribute("aria-pressed", flag ? "true" : "false");
      var state = button.parentNode.querySelector(".tutor-done__state");
      if (state) state.textContent = flag ? "Done. Saved in this browser." : "";
    });
    document.querySelectorAll("svg g.node").forEach(function (node) {
      var slug = (node.id.match(/t_([A-Za-z0-9_]+)/) || [])[1];
      var match = slug && site.order.filter(function (t) { return t.node === "t_" + slug; })[0];
      if (match) node.classList.toggle("tutor-is-done", finished.indexOf(match.slug) >= 0);
    });
  }
  document.querySelectorAll("[data-tutor-done]").forEach(function (button) {
    button.parentNode.hidden = false;
    button.addEventListener("click", function () {
      var slug = button.getAttribute("data-tutor-done");
      setDone(slug, !isDone(slug));
      showProgress();
    });
  });
  document.querySelectorAll("[data-tutor-start-over]").forEach(function (button) {
    button.parentNode.hidden = false;
    button.addEventListener("click", function () {
      if (!window.confirm("Forget which tutorials are done and every ticked check?")) return;
      forget("done");
      site.order.forEach(function (t) { forget("checks:" + t.slug); });
      showProgress();
    });
  });
  window.addEventListener("storage", showProgress);
  document.addEventListener("tutor:map-rendered", showProgress);
  showProgress();

  /* ---- check ticks, per page ---- */
  var page = document.querySelector("[data-tutor-page]");
  var pageSlug = page && page.getAttribute("data-tutor-page");
  if (pageSlug) {
    var boxes = document.querySelectorAll(".tutor-verify input[type=checkbox]");
    var ticked = load("checks:" + pageSlug, []);
    boxes.forEach(function (box, index) {
      var item = box.closest("li");
      if (item) box.setAttribute("aria-label", item.textContent.trim());
      box.disabled = false;
      box.checked = ticked.indexOf(index) >= 0;
      box.addEventListener("change", function () {
        var now = [];
        boxes.forEach(function (b, i) { if (b.checked) now.push(i); });
        save("checks:" + pageSlug, now);
      });
    });
  }

  /* ---- the map: the list is the page; the diagram loads after it, or on request on phones ---- */
  var diagram = document.querySelector("[data-tutor-diagram]");
  if (diagram) {
    var source = diagram.querySelector(".tutor-map__source");
    var button = diagram.querySelector("[data-tutor-show-diagram]");
    var started = false;
    var draw = function () {
      if (started) return;
      started = true;
      if (button) button.parentNode.hidden = true;
      var status = diagram.querySelector(".tutor-map__status");
      status.textContent = "Drawing the diagram…";
      var tag = document.createElement("script");
      tag.src = root + "assets/tutor/mermaid.min.js";
      tag.async = true;
      tag.onload = function () {
        var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
        window.mermaid.initialize({ startOnLoad: false, theme: dark ? "dark" : "default", securityLevel: "strict" });
        window.mermaid.render("tutor-map-svg", source.textContent).then(function (result) {
          var box = diagram.querySelector(".tutor-map__svg");
          box.innerHTML = result.svg;
          if (result.bindFunctions) result.bindFunctions(box);
          status.textContent = "";
          document.dispatchEvent(new Event("tutor:map-rendered"));
        }, function () { status.textContent = "The diagram could not be drawn; the list above has every tutorial."; });
      };
      tag.onerror = function () { status.textContent = "The diagram is not available offline; the list above has every tutorial."; };
      document.head.appendChild(tag);
    };
    if (button) {
      button.parentNode.hidden = false;
      button.addEventListener("click", draw);
    }
    if (window.matchMedia("(min-width: 60em)").matches) {
      /* Wide screens get the diagram once the page is up; the list works before that. */
      var later = function () { (window.requestIdleCallback || window.setTimeout)(draw); };
      if (document.readyState === "complete") later(); else window.addEventListener("load", later);
    }
  }
})();
