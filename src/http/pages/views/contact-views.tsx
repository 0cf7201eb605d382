// The contact page: how to reach us (address, phone, email), the service hours with whether
// we are open right now, and the contact form. Pure: data in, markup out.
import { CONTACT_MESSAGE_MAX, CONTACT_TOPICS } from '../../../domain/support/contact-form.ts';
import type { ComponentChildren } from 'preact';
import type { StoreSettings } from '../../../domain/settings/store-settings.ts';
import { telHref } from '../../../domain/shared/phone.ts';
import { FieldError } from './parts.tsx';

export type ContactValues = { name?: string; email?: string; orderNumber?: string; topic?: string; message?: string };
export type ContactErrors = Partial<Record<keyof ContactValues, string>>;

export type ContactPageProps = {
  settings: StoreSettings;
  /** Weekly hours, one line per group of days ("Monday–Friday: 9:00–12:00 and 14:00–18:00"). */
  hoursLines: string[];
  /** Now, in the shop's time zone: "Open now — until 12:00 ET" / "Closed — opens Monday 9:00 ET". */
  status: { open: boolean; label: string };
  /** The shop's time zone as customers know it ("ET"). */
  zone: string;
  /** Closed days coming up, already formatted ("Thursday, July 4"). */
  holidays: string[];
  values: ContactValues;
  errors: ContactErrors;
  /** A problem with the whole attempt (too many messages). */
  alert?: string;
  /** The message just sent: its case number and when to expect the reply. */
  sent?: { caseNumber: string; expectedReplyBy: string };
};

function Field(p: { name: keyof ContactValues; label: string; values: ContactValues; errors: ContactErrors; type?: string; autocomplete?: string; optional?: boolean; hint?: ComponentChildren; maxLength: number; inputMode?: 'email' | 'text' }) {
  const error = p.errors[p.name];
  const id = `contact-${p.name}`;
  const describedBy = [p.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>
        {p.label}
        {p.optional ? <span class="optional"> (optional)</span> : null}
      </label>
      <input
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.values[p.name] ?? ''}
        autocomplete={p.autocomplete}
        inputMode={p.inputMode}
        maxLength={p.maxLength}
        required={!p.optional}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <FieldError id={id} error={error} />
    </div>
  );
}

export function ContactPageView(p: ContactPageProps) {
  const { settings: s, values, errors } = p;
  const c = s.contact;
  const topicError = errors.topic;
  const messageError = errors.message;
  return (
    <div class="contact">
      <h1>Contact us</h1>
      <p class="lead">
        Questions about an order, a product or a return? Write to us, call, or send the form below. We answer during our service hours, usually within{' '}
        {s.serviceHours.firstReplyHours} working hours.
      </p>
      <div class="two-col">
        <div id="write">
          {p.sent ? (
            <div class="alert alert-ok" role="status" id="contact-sent">
              <h2>Thank you, your message is with us</h2>
              <p>
                Your case number is <strong>{p.sent.caseNumber}</strong>. We have emailed you a copy; expect our reply by <strong>{p.sent.expectedReplyBy}</strong>.
              </p>
            </div>
          ) : null}
          {p.alert ? (
            <div class="alert alert-error" role="alert">
              {p.alert}
            </div>
          ) : null}
          <form class="panel contact-form" method="post" action="/contact#write" novalidate aria-labelledby="contact-form-title">
            <h2 id="contact-form-title">Send us a message</h2>
            <div class="row">
              <Field name="name" label="Name" values={values} errors={errors} autocomplete="name" maxLength={100} />
              <Field name="email" label="Email" type="email" inputMode="email" values={values} errors={errors} autocomplete="email" maxLength={254} hint="Our reply goes here." />
            </div>
            <div class="row">
              <Field
                name="orderNumber"
                label="Order number"
                values={values}
                errors={errors}
                optional
                autocomplete="off"
                maxLength={40}
                hint={
                  <>
                    If your message is about an order, e.g. <span class="nowrap">{s.orderNumberPrefix}7K3M-9QX2</span>.
                  </>
                }
              />
              <div class={`field${topicError ? ' invalid' : ''}`}>
                <label for="contact-topic">Topic</label>
                <select id="contact-topic" name="topic" required aria-invalid={topicError ? 'true' : undefined} aria-describedby={topicError ? 'contact-topic-error' : undefined}>
                  <option value="">Choose…</option>
                  {Object.entries(CONTACT_TOPICS).map(([value, label]) => (
                    <option value={value} selected={values.topic === value}>
                      {label}
                    </option>
                  ))}
                </select>
                <FieldError id="contact-topic" error={topicError} />
              </div>
            </div>
            <div class={`field${messageError ? ' invalid' : ''}`}>
              <label for="contact-message">Message</label>
              <textarea
                id="contact-message"
                name="message"
                rows={6}
                required
                maxLength={CONTACT_MESSAGE_MAX}
                aria-invalid={messageError ? 'true' : undefined}
                aria-describedby={['contact-message-hint', messageError ? 'contact-message-error' : ''].filter(Boolean).join(' ')}
              >
                {values.message ?? ''}
              </textarea>
              <p class="hint" id="contact-message-hint">
                To cancel or change an order before it ships, you can also use <a href="/track">Track order</a>: the request reaches us straight away.
              </p>
              <FieldError id="contact-message" error={messageError} />
            </div>
            <button type="submit">Send message</button>
          </form>
        </div>

        <aside>
          {/* Not a named region: the footer's "Service hours" region is on every page, and two landmarks of one name are ambiguous to landmark navigation. */}
          <section class="panel">
            <h2>Service hours</h2>
            <p class={`open-status ${p.status.open ? 'is-open' : 'is-closed'}`}>
              <span class="open-dot" aria-hidden="true" />
              {p.status.label}
            </p>
            <ul class="plain hours-list">
              {p.hoursLines.map((line) => (
                <li>{line}</li>
              ))}
            </ul>
            <p class="hint">Times are {p.zone}. Messages sent while we are closed are answered when we open.</p>
            {p.holidays.length ? (
              <p class="hint">
                Closed on {p.holidays.join(', ')}.
              </p>
            ) : null}
          </section>
          <section class="panel" aria-labelledby="reach-title">
            <h2 id="reach-title">Other ways to reach us</h2>
            <dl class="facts contact-facts">
              <dt>Phone</dt>
              <dd>
                <a class="nowrap" href={telHref(c.phone)}>
                  {c.phone}
                </a>
              </dd>
              <dt>Email</dt>
              <dd>
                <a href={`mailto:${c.email}`}>{c.email}</a>
              </dd>
              <dt>Address</dt>
              <dd>
                <address>{c.address}</address>
              </dd>
            </dl>
          </section>
        </aside>
      </div>
    </div>
  );
}
