/* Petit Four site chrome: the phone menu toggle, and the visitor's own bits on shared pages.
 * No inline JS anywhere (CSP).
 *
 * Pages served from the full-page cache or a CDN (body[data-visitor-url]) hold nothing per
 * visitor: this script asks that URL (/shop/visitor/, never cached) for the cart count, the
 * signed-in state and a CSRF token, then updates the header and adds the token to every POST
 * form. Without JavaScript the header links still lead to the cart and the account pages, and
 * a form posted without a token gets a "confirm" page that re-posts it with one. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function initNav() {
    var header = document.querySelector("[data-site-header]");
    if (!header) return;
    var toggle = header.querySelector("[data-nav-toggle]");
    var nav = header.querySelector("[data-nav]");
    if (!toggle || !nav) return;

    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("is-open", open);
      nav.classList.toggle("is-open", open);
    }

    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      setOpen(open);
      if (open) {
        var first = nav.querySelector("a, input");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
    var desktop = window.matchMedia("(min-width: 60rem)");
    var onChange = function () { if (desktop.matches) setOpen(false); };
    if (desktop.addEventListener) desktop.addEventListener("change", onChange);
  }

  function applyVisitor(data) {
    var cart = data.cart || { count: 0, total: "" };
    document.querySelectorAll("[data-cart-count]").forEach(function (el) {
      el.textContent = cart.count;
      el.classList.toggle("is-empty", !cart.count);
    });
    document.querySelectorAll("[data-cart-total]").forEach(function (el) {
      el.textContent = cart.count ? cart.total : "";
    });
    document.querySelectorAll("[data-account-label]").forEach(function (el) {
      el.textContent = data.signed_in ? "Account" : "Sign in";
    });
    if (!data.csrf) return;
    document.querySelectorAll("form").forEach(function (form) {
      if ((form.getAttribute("method") || "").toLowerCase() !== "post") return;
      var input = form.querySelector("input[name=csrfmiddlewaretoken]");
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "csrfmiddlewaretoken";
        form.insertBefore(input, form.firstChild);
      }
      input.value = data.csrf;
    });
  }

  function initVisitor() {
    var url = document.body && document.body.getAttribute("data-visitor-url");
    if (!url || !window.fetch) return;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) applyVisitor(data); })
      .catch(function () {});
  }

  function init() {
    initNav();
    initVisitor();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
