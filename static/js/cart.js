/* Cart without page reloads (progressive enhancement; every form also works without JS).
 *
 * - form[data-cart-form]: submitted with fetch (Accept: application/json). The JSON answer
 *   {ok, message, cart: {count, total}, html} updates the header cart ([data-cart-count],
 *   [data-cart-total]); with data-cart-refresh the cart body ([data-cart-body]) is replaced.
 * - input[data-autosubmit]: quantity changes submit their form after a short pause.
 * - form[data-auto-submit] (listing sort): submits when its select changes.
 * - Product pages: the variant picker updates the displayed price.
 * - Checkout: the chosen fulfilment method shows/hides the address and updates the totals.
 */
(function () {
  "use strict";

  function announce(form, message, ok) {
    var box = form && form.querySelector("[data-cart-feedback]");
    if (!box) box = document.querySelector("[data-cart-toast]");
    if (!box) {
      box = document.createElement("p");
      box.className = "shop-toast";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      box.setAttribute("data-cart-toast", "");
      document.body.appendChild(box);
    }
    box.textContent = message || "";
    box.classList.toggle("is-error", !ok);
    box.classList.add("is-visible");
    clearTimeout(box._timer);
    if (box.hasAttribute("data-cart-toast")) {
      box._timer = setTimeout(function () { box.classList.remove("is-visible"); }, 3500);
    }
  }

  function updateHeader(cart) {
    if (!cart) return;
    document.querySelectorAll("[data-cart-count]").forEach(function (el) {
      el.textContent = cart.count;
      el.classList.toggle("is-empty", !cart.count);
    });
    document.querySelectorAll("[data-cart-total]").forEach(function (el) {
      el.textContent = cart.count ? cart.total : "";
    });
    var link = document.querySelector("[data-header-cart]");
    if (link) {
      link.classList.remove("is-bumped");
      void link.offsetWidth;
      link.classList.add("is-bumped");
    }
  }

  function submit(form) {
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().catch(function () { return { ok: false, message: "Something went wrong. Please try again." }; });
      })
      .then(function (data) {
        updateHeader(data.cart);
        if (data.html && form.hasAttribute("data-cart-refresh")) {
          var body = document.querySelector("[data-cart-body]");
          if (body) { body.innerHTML = data.html; bind(body); }
        }
        announce(form.isConnected ? form : null, data.message, data.ok);
      })
      .catch(function () { form.submit(); })
      .finally(function () {
        delete form.dataset.busy;
        if (button) button.disabled = false;
      });
  }

  function bind(root) {
    root.querySelectorAll("form[data-cart-form]").forEach(function (form) {
      if (form._bound) return;
      form._bound = true;
      form.addEventListener("submit", function (event) {
        if (!window.fetch || !window.FormData) return;
        event.preventDefault();
        submit(form);
      });
    });
    root.querySelectorAll("input[data-autosubmit]").forEach(function (input) {
      if (input._bound) return;
      input._bound = true;
      if (input.form) input.form.classList.add("is-enhanced");
      var timer;
      input.addEventListener("change", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          if (input.form && input.checkValidity()) input.form.requestSubmit();
        }, 400);
      });
    });
  }

  function variantPicker() {
    var display = document.querySelector("[data-price-display]");
    document.querySelectorAll("input[name=variant][data-price]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (radio.checked && display) display.textContent = radio.dataset.price;
      });
      if (radio.checked && display) display.textContent = radio.dataset.price;
    });
  }

  function checkoutMethods() {
    var form = document.querySelector("[data-checkout-form]");
    if (!form) return;
    var address = form.querySelector("[data-address]");
    var total = form.querySelector("[data-total-display]");
    var shipping = form.querySelector("[data-shipping-display]");
    function sync() {
      var chosen = form.querySelector("input[name=shipping_method]:checked");
      if (!chosen) return;
      if (address) address.hidden = chosen.dataset.needsAddress !== "1";
      if (total) total.textContent = chosen.dataset.total;
      if (shipping) shipping.textContent = chosen.dataset.shipping;
    }
    form.querySelectorAll("input[name=shipping_method]").forEach(function (radio) {
      radio.addEventListener("change", sync);
    });
    sync();
  }

  function autoSubmitSort() {
    document.querySelectorAll("form[data-auto-submit] select").forEach(function (select) {
      var go = select.form.querySelector(".shop-sort__go");
      if (go) go.hidden = true;
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  function init() {
    bind(document);
    variantPicker();
    checkoutMethods();
    autoSubmitSort();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
