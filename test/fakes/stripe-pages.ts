// The pages the Stripe fake serves to the shopper's browser: hosted Checkout, the 3-D Secure
// step, and the Payment Element's card frame. Plain HTML forms that work without JavaScript
// (the frame excepted: it is Stripe.js's), every field labelled.
import type { LineItem, Session } from './stripe-checkout.ts';
import { formatAmount, type PaymentIntent } from './stripe-objects.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f6f8fa; color: #1a1a1a; }
  main { max-width: 28rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: 8px; }
  label { display: block; margin-top: 0.75rem; font-weight: 600; }
  input { display: block; width: 100%; box-sizing: border-box; padding: 0.5rem; font: inherit; border: 1px solid #6b7280; border-radius: 4px; }
  input[aria-invalid="true"] { border-color: #b91c1c; }
  button { margin-top: 1rem; padding: 0.6rem 1.2rem; font: inherit; font-weight: 600; border: 0; border-radius: 4px; background: #4338ca; color: #fff; cursor: pointer; }
  button.secondary { background: #e5e7eb; color: #1a1a1a; }
  .error { color: #b91c1c; font-weight: 600; }
  .hint { color: #4b5563; font-size: 0.875rem; }
  .row { display: flex; gap: 1rem; } .row > div { flex: 1; }
  table { width: 100%; border-collapse: collapse; } td { padding: 0.25rem 0; } td:last-child { text-align: right; }`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main></body>
</html>`;
}

/** The card fields, shared by hosted Checkout and the Payment Element frame. */
export function cardFields(error?: { message: string; field?: string }): string {
  const invalid = (field: string) => (error?.field === field ? ' aria-invalid="true" aria-errormessage="card-error"' : '');
  return `<label for="number">Card number</label>
<input id="number" name="number" autocomplete="cc-number" inputmode="numeric" placeholder="1234 1234 1234 1234"${invalid('number')}>
<div class="row">
  <div><label for="expiry">Expiration</label>
  <input id="expiry" name="expiry" autocomplete="cc-exp" inputmode="numeric" placeholder="MM / YY" aria-describedby="expiry-hint"${invalid('expiry')}>
  <span id="expiry-hint" class="hint">MM / YY</span></div>
  <div><label for="cvc">CVC</label>
  <input id="cvc" name="cvc" autocomplete="cc-csc" inputmode="numeric" placeholder="123"${invalid('cvc')}></div>
</div>
<p id="card-error" class="error" role="alert">${error ? esc(error.message) : ''}</p>`;
}

export function checkoutPage(s: Session, lines: LineItem[], error?: { message: string; field?: string }): string {
  const total = formatAmount(s.amount_total, s.currency);
  const rows = lines
    .map((l) => `<tr><td>${esc(l.description)} × ${l.quantity}</td><td>${esc(formatAmount(l.amount_total, l.currency))}</td></tr>`)
    .join('\n');
  return page(
    `Pay ${total}`,
    `<h1>Pay ${esc(total)}</h1>
<p class="hint">Stripe fake Checkout, test mode. Try 4242 4242 4242 4242 with any future date and any CVC.</p>
<table aria-label="Order summary">${rows}<tr><td><strong>Total</strong></td><td><strong>${esc(total)}</strong></td></tr></table>
${s.customer_email ? `<p>Paying as ${esc(s.customer_email)}</p>` : ''}
<form method="post" action="/c/pay/${esc(s.id)}" novalidate>
${cardFields(error)}
<button type="submit">Pay</button>
</form>
${s.cancel_url ? `<p><a href="${esc(s.cancel_url)}">Back</a></p>` : ''}`,
  );
}

export function sessionClosedPage(s: Session, successUrl: string): string {
  if (s.status === 'complete') {
    return page('Payment complete', `<h1>Payment complete</h1><p>This payment has been made.</p><p><a href="${esc(successUrl)}">Continue</a></p>`);
  }
  return page(
    'Checkout Session expired',
    `<h1>This checkout session has expired</h1><p>Nothing was charged.</p>${s.cancel_url ? `<p><a href="${esc(s.cancel_url)}">Back</a></p>` : ''}`,
  );
}

/** The bank's 3-D Secure challenge, reduced to its two outcomes. */
export function authenticationPage(pi: PaymentIntent): string {
  const amount = formatAmount(pi.amount, pi.currency);
  return page(
    'Authenticate your payment',
    `<h1>Authenticate your payment</h1>
<p>Your bank asks you to confirm a payment of <strong>${esc(amount)}</strong>.</p>
<p class="hint">Stripe fake 3-D Secure test page: choose the outcome.</p>
<form method="post" action="/3ds/${esc(pi.id)}">
<input type="hidden" name="client_secret" value="${esc(pi.client_secret)}">
<button type="submit" name="outcome" value="complete">Complete authentication</button>
<button type="submit" name="outcome" value="fail" class="secondary">Fail authentication</button>
</form>`,
  );
}

export function messagePage(title: string, text: string): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(text)}</p>`);
}

/** The Payment Element's iframe document; its script is /elements/payment-frame.js. */
export function paymentFramePage(): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Secure payment input</title>
<style>${STYLE} body { background: transparent; } main { margin: 0; padding: 0.25rem; max-width: none; background: transparent; }</style></head>
<body><main>
<form id="card-form" novalidate>
${cardFields()}
</form>
<section id="authenticate" hidden aria-labelledby="authenticate-title">
<h2 id="authenticate-title">Authenticate your payment</h2>
<p>Your bank asks you to confirm this payment (Stripe fake 3-D Secure, test mode).</p>
<button type="button" id="auth-complete">Complete authentication</button>
<button type="button" id="auth-fail" class="secondary">Fail authentication</button>
</section>
</main>
<script src="/elements/payment-frame.js"></script>
</body>
</html>`;
}
