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
  }
  // After a refused form, take keyboard and screen-reader users straight to what went wrong.
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();
})();
