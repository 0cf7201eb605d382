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
})();
