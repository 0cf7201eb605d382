// The sandbox payment page and its 3-D Secure-like step. Plain forms: they work without JavaScript.
import { FieldError } from './parts.tsx';

export type SandboxPayProps = {
  id: string;
  /** Formatted amount, e.g. "$42.00". */
  amount: string;
  description: string;
  cancelUrl: string;
  /** Why the last attempt failed (declined card), for the shopper. */
  failure?: string;
  /** Field errors keyed cardNumber, expiry, cvc. */
  errors: Record<string, string>;
};

function CardField({ name, label, errors, ...input }: { name: string; label: string; errors: Record<string, string>; autocomplete: string; maxLength: number; placeholder: string; hint?: string }) {
  const error = errors[name];
  const describedBy = [input.hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={name}>{label}</label>
      <input id={name} name={name} type="text" inputMode="numeric" required autocomplete={input.autocomplete} maxLength={input.maxLength} placeholder={input.placeholder} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} />
      {input.hint ? (
        <p class="hint" id={`${name}-hint`}>
          {input.hint}
        </p>
      ) : null}
      <FieldError id={name} error={error} />
    </div>
  );
}

const SandboxBanner = () => (
  <p class="alert alert-info">
    <strong>Sandbox payment page.</strong> This stands in for the card processor's own page; no real card is charged. Pay with <strong>4242 4242 4242 4242</strong>, any
    future expiry and any CVC. <strong>4000 0000 0000 0002</strong> is declined; <strong>4000 0027 6000 3184</strong> asks for an extra confirmation, as a bank's
    3-D Secure check does.
  </p>
);

export function SandboxPayView(p: SandboxPayProps) {
  return (
    <section class="panel sandbox-pay narrow">
      <h1>Pay {p.amount}</h1>
      <p class="muted">{p.description}</p>
      <SandboxBanner />
      {p.failure ? (
        <div class="alert alert-error" role="alert">
          <h2>Your payment did not go through</h2>
          <p>{p.failure} Nothing was charged. Check the details or use another card.</p>
        </div>
      ) : null}
      <form method="post" action={`/sandbox/pay/${p.id}`} novalidate>
        <CardField name="cardNumber" label="Card number" errors={p.errors} autocomplete="cc-number" maxLength={23} placeholder="1234 1234 1234 1234" />
        <div class="row card-row">
          <CardField name="expiry" label="Expiry" errors={p.errors} autocomplete="cc-exp" maxLength={7} placeholder="MM/YY" hint="MM/YY" />
          <CardField name="cvc" label="CVC" errors={p.errors} autocomplete="cc-csc" maxLength={4} placeholder="123" hint="3 digits on the back, 4 on the front for Amex" />
        </div>
        <button type="submit" class="place-order">
          Pay {p.amount}
        </button>
      </form>
      <p class="center">
        <a href={p.cancelUrl}>Cancel and return to the store</a>
      </p>
    </section>
  );
}

export function SandboxThreeDsView(p: SandboxPayProps) {
  return (
    <section class="panel sandbox-pay narrow">
      <h1>Confirm your payment</h1>
      <p>
        Your bank asks you to confirm the payment of <strong>{p.amount}</strong> to this shop. (Sandbox: this stands in for the bank's 3-D Secure page.)
      </p>
      <form method="post" action={`/sandbox/pay/${p.id}/authenticate`} class="actions">
        <button type="submit" name="decision" value="approve">
          Confirm payment
        </button>{' '}
        <button type="submit" name="decision" value="decline" class="secondary">
          Cancel payment
        </button>
      </form>
    </section>
  );
}
