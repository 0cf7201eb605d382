// Small enhancements only: every page works without this script.
(() => {
  // Product gallery: show the chosen picture in place instead of opening it.
  const main = document.querySelector('[data-gallery-main]');
  document.querySelectorAll('[data-gallery-thumb]').forEach((a) => {
    a.addEventListener('click', (e) => {
      if (!main) return;
      e.preventDefault();
      main.src = a.getAttribute('href');
      main.alt = a.dataset.alt || '';
      document.querySelectorAll('[data-gallery-thumb]').forEach((t) => t.removeAttribute('aria-current'));
      a.setAttribute('aria-current', 'true');
    });
  });
  // A form submits once: a double click on "Place order" or "Pay" sends one request
  // (the server is idempotent anyway; this just spares the shopper a confusing wait).
  document.querySelectorAll('form[method="post"]').forEach((form) => {
    form.addEventListener('submit', (e) => {
      if (form.dataset.submitting) {
        e.preventDefault();
        return;
      }
      form.dataset.submitting = '1';
      const button = form.querySelector('button[type="submit"], button:not([type])');
      if (button) {
        button.setAttribute('aria-busy', 'true');
        button.dataset.label = button.textContent;
      }
      // Allow a retry if the page stays (e.g. the browser cancelled the navigation).
      setTimeout(() => delete form.dataset.submitting, 8000);
    });
  });
  // Checkout: new totals as soon as the state or the shipping method changes (without
  // this, the server shows the new total before charging it).
  const totals = document.querySelector('[data-checkout-totals]');
  const checkout = totals && totals.closest('form');
  if (checkout) {
    const shown = checkout.querySelector('[data-shown-total]');
    let latest = 0;
    const refresh = async () => {
      const method = checkout.querySelector('input[name="shippingMethod"]:checked');
      const params = new URLSearchParams({ state: checkout.elements.state.value, shippingMethod: method ? method.value : 'standard' });
      const ticket = ++latest;
      const res = await fetch(`/checkout/summary?${params}`, { headers: { accept: 'text/html' }, credentials: 'same-origin' }).catch(() => null);
      if (!res || !res.ok || ticket !== latest) return;
      const template = document.createElement('template');
      template.innerHTML = await res.text();
      const fresh = template.content.querySelector('[data-checkout-totals]');
      const current = checkout.querySelector('[data-checkout-totals]');
      if (fresh && current && ticket === latest) {
        current.replaceWith(fresh);
        if (shown) shown.value = fresh.dataset.total;
      }
    };
    checkout.querySelectorAll('[data-checkout-refresh]').forEach((el) => el.addEventListener('change', refresh));
    // The email is kept with the cart as soon as it is typed, for the one reminder the form mentions.
    const email = checkout.elements.email;
    if (email) {
      email.addEventListener('change', () => {
        if (!email.checkValidity() || !email.value) return;
        fetch('/checkout/contact', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: email.value }) }).catch(() => {});
      });
    }
  }
  // Checkout with Stripe: the Payment Element (Stripe's own field, in Stripe's frame) in place
  // of the trip to Stripe's hosted page. The form's details go to the store, which opens
  // the payment for its own total; the card goes from Stripe's frame to Stripe only.
  const field = document.querySelector('[data-payment-element]');
  if (checkout && field) {
    const script = document.createElement('script');
    script.src = field.dataset.script;
    script.onload = () => {
      if (!window.Stripe) return;
      const stripe = window.Stripe(field.dataset.publishableKey);
      const amount = () => Number(checkout.querySelector('[data-shown-total]').value);
      const elements = stripe.elements({ mode: 'payment', amount: amount(), currency: field.dataset.currency, captureMethod: field.dataset.capture });
      elements.create('payment').mount(field);
      field.closest('fieldset').querySelector('[data-payment-hint]').textContent = 'Enter your card below. It goes straight to our payment provider, Stripe: this shop never sees or stores it.';
      const problem = document.createElement('p');
      problem.className = 'field-error';
      problem.setAttribute('role', 'alert');
      field.after(problem);
      // A refusal leaves the shopper on the page: let them press "Place order" again at once.
      const fail = (message) => {
        problem.textContent = message;
        delete checkout.dataset.submitting;
      };
      checkout.addEventListener('submit', async (event) => {
        event.preventDefault();
        problem.textContent = '';
        if (elements.update) elements.update({ amount: amount() });
        const checked = await elements.submit();
        if (checked.error) return fail(checked.error.message);
        const body = new URLSearchParams(new FormData(checkout));
        body.set('ui', 'embedded');
        const res = await fetch('/checkout', { method: 'POST', body, headers: { accept: 'application/json' }, credentials: 'same-origin' }).catch(() => null);
        // Fields to fix or a new total to show: the server's own page says it best.
        if (!res || res.status === 422 || res.status === 409) return void HTMLFormElement.prototype.submit.call(checkout);
        const answer = await res.json();
        if (!res.ok) return fail(answer.error.message);
        const confirmed = await stripe.confirmPayment({ elements, clientSecret: answer.clientSecret, confirmParams: { return_url: answer.returnUrl } });
        if (confirmed.error) fail(confirmed.error.message);
      });
    };
    document.head.append(script);
  }
  // After a refused form, take keyboard and screen-reader users straight to what went wrong.
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();
})();
