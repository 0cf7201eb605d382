// "My orders": the sign-in form (email link or texted code), the code form, and the signed-in
// page with the orders, saved addresses, "Buy again" and the personal-data choices.
import type { Address, CustomerContact } from '../../../db/schema.ts';
import type { CustomerOrder } from '../../../domain/customers/customer-orders.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { formatPhone } from '../../../domain/shared/phone.ts';
import { FieldError } from './parts.tsx';

export type Alert = { kind: 'error' | 'info' | 'ok'; text: string };

function AlertBox({ alert }: { alert?: Alert }) {
  if (!alert) return null;
  return (
    <div class={`alert alert-${alert.kind === 'ok' ? 'info' : alert.kind}`} role={alert.kind === 'error' ? 'alert' : 'status'}>
      {alert.text}
    </div>
  );
}

export type SignInProps = {
  /** Which form was sent, to show its value and error there. */
  via?: 'email' | 'phone';
  contact?: string;
  error?: string;
  alert?: Alert;
  signedIn?: boolean;
};

function ContactForm(p: { via: 'email' | 'phone'; label: string; hint: string; button: string; value?: string; error?: string }) {
  const id = `contact-${p.via}`;
  const describedBy = [`${id}-hint`, p.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <form method="post" action="/account/sign-in" novalidate>
      <input type="hidden" name="via" value={p.via} />
      <div class={`field${p.error ? ' invalid' : ''}`}>
        <label for={id}>{p.label}</label>
        <input
          id={id}
          name="contact"
          type={p.via === 'email' ? 'email' : 'tel'}
          value={p.value ?? ''}
          autocomplete={p.via === 'email' ? 'email' : 'tel'}
          autocapitalize="off"
          spellcheck={false}
          maxLength={254}
          required
          aria-invalid={p.error ? 'true' : undefined}
          aria-describedby={describedBy}
        />
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
        <FieldError id={id} error={p.error} />
      </div>
      <button type="submit">{p.button}</button>
    </form>
  );
}

/** Asks for the email or the phone; the same forms add a second contact to a live session. */
export function SignInForm({ via, contact, error, alert, signedIn }: SignInProps) {
  const mine = (v: 'email' | 'phone') => (via === v ? { value: contact, error } : {});
  return (
    <section class="panel account-sign-in" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{signedIn ? 'Add orders placed with another email or phone' : 'Sign in without a password'}</h2>
      <AlertBox alert={alert} />
      <div class="two-col">
        <ContactForm via="email" label="Email address" hint="The address you gave at checkout. We email you a link that works once." button="Email me a sign-in link" {...mine('email')} />
        <ContactForm via="phone" label="Phone number" hint="A US number you gave at checkout, e.g. (304) 555-0142. We text you a six-digit code." button="Text me a code" {...mine('phone')} />
      </div>
    </section>
  );
}

export function AccountIntro() {
  return (
    <>
      <h1>My orders</h1>
      <p class="lead">See every order you placed with us, follow its delivery and order the same things again. You do not need an account: checkout as a guest stays the default.</p>
    </>
  );
}

export type CodeFormProps = { signInId: string; phone: string; error?: string; alert?: Alert };

export function CodeForm({ signInId, phone, error, alert }: CodeFormProps) {
  return (
    <section class="panel account-code" aria-labelledby="code-title">
      <h2 id="code-title">Enter the code we texted you</h2>
      <p>
        If orders were placed with <strong class="token">{formatPhone(phone)}</strong>, a six-digit code is on its way to it. It works once, for 10 minutes.
      </p>
      <AlertBox alert={alert} />
      <form method="post" action="/account/code" novalidate>
        <input type="hidden" name="signInId" value={signInId} />
        <input type="hidden" name="phone" value={phone} />
        <div class={`field${error ? ' invalid' : ''}`}>
          <label for="code">Code</label>
          <input
            id="code"
            name="code"
            type="text"
            inputMode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9 ]*"
            maxLength={8}
            required
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'code-error' : undefined}
          />
          <FieldError id="code" error={error} />
        </div>
        <button type="submit">Sign in</button>
      </form>
      <p>
        <a href="/account">Ask for a new code or use your email instead</a>
      </p>
    </section>
  );
}

/** The page the emailed link opens: one button, so mail scanners that follow links do not spend it. */
export function LinkConfirm({ token }: { token: string }) {
  return (
    <section class="panel account-link">
      <h1>Sign in to My orders</h1>
      <p>Continue to see your orders on this device. The link then stops working.</p>
      <form method="post" action={`/account/sign-in/${encodeURIComponent(token)}`}>
        <button type="submit">Continue to my orders</button>
      </form>
    </section>
  );
}

const contactText = (c: CustomerContact) => (c.kind === 'email' ? c.value : formatPhone(c.value));
const addressLines = (a: Address) => [a.name, a.line1, a.line2, `${a.city}, ${a.state} ${a.postalCode}`].filter(Boolean) as string[];

export type AccountProps = {
  contacts: CustomerContact[];
  orders: (CustomerOrder & { trackingHref: string })[];
  addresses: Address[];
  alert?: Alert;
  signIn: SignInProps;
};

export function AccountView({ contacts, orders, addresses, alert, signIn }: AccountProps) {
  return (
    <div class="account">
      <AccountIntro />
      <AlertBox alert={alert} />
      <p>
        Signed in as {contacts.map((c, i) => [i ? ' and ' : '', <strong class="token">{contactText(c)}</strong>])}.
      </p>
      <form method="post" action="/account/sign-out" class="inline-form">
        <button type="submit" class="secondary">
          Sign out
        </button>
      </form>
      <section aria-labelledby="orders-title">
        <h2 id="orders-title">Your orders</h2>
        {orders.length === 0 ? (
          <p>We have no orders placed with {contacts.length === 1 ? 'this email or phone' : 'these contacts'}. Orders placed with another email or phone number can be added below.</p>
        ) : (
          <ul class="account-orders">
            {orders.map((o) => (
              <li class="panel account-order">
                <h3>
                  <a href={o.trackingHref} class="token">
                    Order {o.number}
                  </a>
                </h3>
                <p>
                  {o.statusLabel} · placed {o.placedAt.toISOString().slice(0, 10)} · {formatMoney(o.total, o.currency)}
                </p>
                <ul class="account-order-items">
                  {o.items.map((i) => (
                    <li>
                      {i.quantity} × {i.name}
                    </li>
                  ))}
                </ul>
                <div class="account-order-actions">
                  <a href={o.trackingHref}>Track, change or return</a>
                  <form method="post" action="/account/buy-again" class="inline-form">
                    <input type="hidden" name="orderNumber" value={o.number} />
                    <button type="submit" class="secondary">
                      Buy again
                    </button>
                  </form>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      {addresses.length ? (
        <section aria-labelledby="addresses-title">
          <h2 id="addresses-title">Saved addresses</h2>
          <p class="hint">The addresses your orders went to. Checkout fills in the latest one while you are signed in.</p>
          <ul class="account-addresses">
            {addresses.map((a) => (
              <li class="panel">
                <address>
                  {addressLines(a).map((l) => (
                    <>
                      {l}
                      <br />
                    </>
                  ))}
                </address>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <SignInForm {...signIn} signedIn />
      <section class="panel" aria-labelledby="data-title">
        <h2 id="data-title">Your personal data</h2>
        <p>
          <a href="/account/data.json" download>
            Download my data
          </a>{' '}
          (orders, addresses and messages, as a JSON file).
        </p>
        <form method="post" action="/account/erase">
          <p>
            Erasing replaces your name, addresses, email and phone on every order and message with “[erased]”. The orders themselves stay in our accounts, as the law requires. It is possible once
            every order is delivered or cancelled and no return is open, and it cannot be undone.
          </p>
          <div class="field checkbox">
            <input type="checkbox" id="confirm" name="confirm" value="yes" required />
            <label for="confirm">I understand that my details will be erased for good</label>
          </div>
          <button type="submit" class="danger">
            Erase my personal data
          </button>
        </form>
      </section>
    </div>
  );
}
