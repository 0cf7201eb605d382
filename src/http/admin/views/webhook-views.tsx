// Webhook screens (owner): the endpoints with an "Add endpoint" form, and one endpoint's page
// with its signing secret (only right after creation), disable / re-enable / delete, and
// its delivery log with the response code and duration of every attempt and "Resend".
import type { VNode } from 'preact';
import type { EndpointView } from '../../../domain/webhooks/webhook-endpoints.ts';
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../../domain/webhooks/webhook-events.ts';
import type { WebhookDelivery } from '../../../domain/webhooks/webhook-log.ts';
import { CheckboxField, ErrorSummary, Field, list, text, type FormErrors, type FormValues } from './form.tsx';

export const WEBHOOK_LABELS = { url: 'Endpoint URL', description: 'Description', events: 'Events' };

const eventLabel = (e: string) => WEBHOOK_EVENTS[e as WebhookEventType] ?? e;

function EndpointStatus({ e }: { e: EndpointView }) {
  if (e.status !== 'active') return <span class="pill pill-bad">Disabled</span>;
  if (e.consecutiveFailures > 0) return <span class="pill pill-warn">Failing ({e.consecutiveFailures} in a row)</span>;
  return <span class="pill pill-ok">Active</span>;
}

export type WebhookListData = { endpoints: EndpointView[]; csrf: VNode; values?: FormValues; errors?: FormErrors; error?: string };

export function WebhookListView(d: WebhookListData) {
  const values = d.values ?? { events: ['order.placed'] };
  const errors = d.errors ?? {};
  const chosen = list(values, 'events');
  return (
    <>
      <h1>Webhooks</h1>
      <p class="muted">
        Other systems (accounting, a warehouse, a chat channel) hear about orders and stock as they happen: each event is sent as a signed JSON POST, retried with
        backoff when the receiver fails, and logged below each endpoint.
      </p>
      <section class="panel" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">Endpoints</h2>
        {d.endpoints.length === 0 ? (
          <p class="muted">No endpoint yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">URL</th>
                  <th scope="col">Events</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {d.endpoints.map((e) => (
                  <tr class={e.status === 'active' ? undefined : 'row-muted'}>
                    <td>
                      <a href={`/admin/webhooks/${e.id}`}>{e.url}</a>
                      {e.description ? <div class="muted">{e.description}</div> : null}
                    </td>
                    <td>{e.events.map(eventLabel).join(', ')}</td>
                    <td>
                      <EndpointStatus e={e} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section class="panel narrow-form" aria-labelledby="add-title">
        <h2 id="add-title">Add an endpoint</h2>
        {d.error ? (
          <div class="alert alert-error" role="alert">
            {d.error}
          </div>
        ) : null}
        <ErrorSummary errors={errors} labels={WEBHOOK_LABELS} />
        <form method="post" action="/admin/webhooks">
          {d.csrf}
          <Field
            name="url"
            label={WEBHOOK_LABELS.url}
            type="url"
            value={text(values, 'url')}
            required
            maxLength={2000}
            hint="Where to POST the events, e.g. https://books.example.com/hooks/casanova. Local and private network addresses are refused."
            error={errors.url}
          />
          <Field name="description" label={WEBHOOK_LABELS.description} value={text(values, 'description')} maxLength={200} hint="Optional: what listens there." error={errors.description} />
          <fieldset class={errors.events ? 'field invalid' : 'field'} id="f-events">
            <legend>{WEBHOOK_LABELS.events}</legend>
            {WEBHOOK_EVENT_TYPES.map((t) => (
              <CheckboxField name="events" value={t} label={`${WEBHOOK_EVENTS[t]} (${t})`} checked={chosen.includes(t)} />
            ))}
            {errors.events ? <p class="error">{errors.events}</p> : null}
          </fieldset>
          <button type="submit">Add endpoint</button>
        </form>
      </section>
    </>
  );
}

export type WebhookEndpointData = {
  endpoint: EndpointView;
  deliveries: WebhookDelivery[];
  csrf: VNode;
  at: (d: Date) => string;
  /** Only in the answer to "Add endpoint": never stored anywhere it could be shown again. */
  secret?: string;
  error?: string;
};

function DeliveryStatus({ d }: { d: WebhookDelivery }) {
  if (d.status === 'sent') return <span class="pill pill-ok">Delivered</span>;
  if (d.status === 'failed') return <span class="pill pill-bad">Failed</span>;
  return <span class="pill pill-warn">{d.attempts.length ? 'Retrying' : 'Queued'}</span>;
}

export function WebhookEndpointView(d: WebhookEndpointData) {
  const e = d.endpoint;
  const base = `/admin/webhooks/${e.id}`;
  return (
    <>
      <p class="breadcrumb">
        <a href="/admin/webhooks">Webhooks</a>
      </p>
      <h1>{e.url}</h1>
      {d.error ? (
        <div class="alert alert-error" role="alert">
          {d.error}
        </div>
      ) : null}
      {d.secret ? (
        <div class="alert alert-ok" role="status">
          <p>
            Signing secret: <code class="secret">{d.secret}</code>
          </p>
          <p>Copy it into the receiving system now: it is shown only this once. Every delivery carries X-Casanova-Signature, an HMAC-SHA256 made with it.</p>
        </div>
      ) : null}
      <section class="panel" aria-labelledby="endpoint-title">
        <h2 id="endpoint-title">Endpoint</h2>
        <dl class="kv">
          <dt>Status</dt>
          <dd>
            <EndpointStatus e={e} />
            {e.disabledReason ? <span class="muted"> {e.disabledReason}</span> : null}
          </dd>
          <dt>Events</dt>
          <dd>{e.events.map(eventLabel).join(', ')}</dd>
          {e.description ? (
            <>
              <dt>Description</dt>
              <dd>{e.description}</dd>
            </>
          ) : null}
          <dt>Added</dt>
          <dd>{d.at(e.createdAt)}</dd>
        </dl>
        <form method="post" action={`${base}/${e.status === 'active' ? 'disable' : 'enable'}`} class="inline-form">
          {d.csrf}
          <button type="submit" class="secondary">
            {e.status === 'active' ? 'Disable' : 'Re-enable'}
          </button>
        </form>
        <form method="post" action={`${base}/delete`} class="inline-form">
          {d.csrf}
          <button type="submit" class="secondary">
            Delete endpoint
          </button>
        </form>
      </section>
      <section class="panel" aria-labelledby="log-title">
        <h2 id="log-title">Delivery log</h2>
        {d.deliveries.length === 0 ? (
          <p class="muted">Nothing sent yet: deliveries appear here when an event it listens to happens.</p>
        ) : (
          <div class="table-wrap">
            <table class="table webhook-log">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Response</th>
                  <th scope="col" class="num">
                    Duration
                  </th>
                  <th scope="col" class="num">
                    Attempts
                  </th>
                  <th scope="col">Queued</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.deliveries.map((x) => {
                  const last = x.attempts.at(-1);
                  return (
                    <tr>
                      <td>
                        <code>{x.event}</code>
                        <details>
                          <summary class="muted">{x.deliveryId}</summary>
                          <pre class="webhook-body">{x.body}</pre>
                          {x.attempts.length > 1 ? (
                            <ul>
                              {x.attempts.map((a) => (
                                <li>
                                  #{a.attempt} · {d.at(a.at)} · {a.statusCode ?? '—'} · {a.durationMs} ms{a.error ? ` · ${a.error}` : ''}
                                </li>
                              ))}
                            </ul>
                          ) : null}
                        </details>
                      </td>
                      <td>
                        <DeliveryStatus d={x} />
                        {x.nextAttemptAt && x.attempts.length ? <div class="muted">next try {d.at(x.nextAttemptAt)}</div> : null}
                      </td>
                      <td>{last ? (last.statusCode ? `HTTP ${last.statusCode}` : (last.error ?? '—')) : '—'}</td>
                      <td class="num">{last ? `${last.durationMs} ms` : '—'}</td>
                      <td class="num">{x.attempts.length}</td>
                      <td class="muted">{d.at(x.createdAt)}</td>
                      <td class="actions">
                        {e.status === 'active' ? (
                          <form method="post" action={`${base}/deliveries/${x.id}/resend`} class="inline-form">
                            {d.csrf}
                            <button type="submit" class="secondary small">
                              Resend<span class="visually-hidden"> {x.event} delivery {x.deliveryId}</span>
                            </button>
                          </form>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
