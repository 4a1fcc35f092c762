/* Payment page: Stripe.js card element + stripe.confirmCardPayment (handles 3-D Secure).
 *
 * The amount lives in the PaymentIntent the server created; nothing here can change it or mark
 * the order paid. Before confirming, we POST to the page's own URL so the server can renew the
 * order's holds (after a declined card) and, in localstripe test mode only, attach the chosen
 * test card. On success we go to the order page, which asks Stripe for the result itself.
 */
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form || typeof window.Stripe !== "function") {
    var errors = document.getElementById("card-errors");
    if (errors) errors.textContent = "The payment form could not load. Please refresh the page.";
    return;
  }
  var stripe = window.Stripe(form.dataset.publishableKey);
  var elements = stripe.elements();
  var card = elements.create("card", {
    hidePostalCode: true,
    style: {
      base: { fontSize: "16px", color: "#2b1d17", fontFamily: "system-ui, sans-serif", "::placeholder": { color: "#8a7a72" } },
      invalid: { color: "#b3261e" }
    }
  });
  card.mount("#card-element");

  var errorBox = document.getElementById("card-errors");
  var button = document.getElementById("pay-button");
  var label = button.querySelector(".ord-btn__label");
  var busy = button.querySelector(".ord-btn__busy");

  function showError(message) {
    errorBox.textContent = message || "";
  }
  function setBusy(on) {
    button.disabled = on;
    label.hidden = on;
    busy.hidden = !on;
  }
  card.on("change", function (event) {
    showError(event && event.error ? event.error.message : "");
  });

  function prepare() {
    var data = new FormData(form);
    var choice = document.querySelector('input[name="test_card"]:checked');
    if (choice) data.set("test_card", choice.value);
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return { ok: false }; });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    showError("");
    setBusy(true);
    prepare()
      .then(function (state) {
        if (state.paid) {
          window.location.assign(form.dataset.successUrl);
          return null;
        }
        if (!state.ok) {
          throw new Error(state.error || "We could not start the payment. Please try again.");
        }
        if (state.client_secret) form.dataset.clientSecret = state.client_secret;
        return stripe.confirmCardPayment(form.dataset.clientSecret, {
          payment_method: {
            card: card,
            billing_details: { name: form.dataset.name, email: form.dataset.email }
          }
        });
      })
      .then(function (result) {
        if (!result) return;
        if (result.error) {
          showError(result.error.message || "Your card was declined. Please try another card.");
          setBusy(false);
          return;
        }
        var status = result.paymentIntent && result.paymentIntent.status;
        if (status === "succeeded" || status === "processing" || status === "requires_capture") {
          window.location.assign(form.dataset.successUrl);
        } else {
          showError("The payment was not completed. Please try again.");
          setBusy(false);
        }
      })
      .catch(function (error) {
        showError(error && error.message ? error.message : "Something went wrong. Please try again.");
        setBusy(false);
      });
  });
})();
