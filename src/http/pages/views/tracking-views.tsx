// The tracking page: the order's tracking view (progress, estimate,
// parcels with the carrier's events, money going back, requests and cases, the delivery
// inspection and "Report a problem"). Pure components: data in, markup out. Times are shown
// in the shop's time zone. Other features add their own sections to the view through
// `children` (rendered after the parcels), e.g. "Ask to cancel or change".
import type { ComponentChildren } from 'preact';
import type { StoreSettings } from '../../../domain/settings/store-settings.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { telHref } from '../../../domain/shared/phone.ts';
import { CARRIER_EVENT_LABELS, isCarrierEventStatus } from '../../../domain/shipments/carrier-events.ts';
import { DELIVERY_PROBLEMS, MAX_PROBLEM_PHOTOS, PROBLEM_DESCRIPTION_MAX, PROBLEM_PHOTO_MAX_BYTES } from '../../../domain/support/delivery-problem.ts';
import type { OrderStatus } from '../../../domain/orders/order-states.ts';
import type { ShipmentView, TrackingView } from '../../../domain/tracking/tracking-view.ts';
import { discountRows, FieldError, PhotosField, TotalsList } from './parts.tsx';
import { estimateText, Time } from './shop-time.tsx';
import { Cases, Refunds, Requests, Returns } from './tracking-aftersales-views.tsx';

// Times come from shop-time.tsx; the lookup form is in track-form-view.tsx and the
// money, requests, returns and cases panels in tracking-aftersales-views.tsx.

// ------------------------------------------------------------------ the view

const HEADLINES: Record<OrderStatus, [string, string]> = {
  paid: ['Order received', 'Thank you! We have your order and your payment. Our team will check it shortly.'],
  on_hold: ['We are checking a detail', 'We need to check something about your order before we prepare it. If we need anything from you, we will get in touch.'],
  verified: ['Order confirmed', 'We have checked your order; it is waiting to be picked in our warehouse.'],
  preparing: ['Being prepared', 'We are picking and checking your items in our warehouse.'],
  packed: ['Packed and ready', 'Your parcel is packed and labelled, waiting for the carrier to collect it.'],
  shipped: ['On its way', 'Your parcel is with the carrier.'],
  delivered: ['Delivered', 'Your order has arrived. We hope you enjoy it.'],
  cancelled: ['Cancelled', 'This order was cancelled. Whatever you paid goes back to your card.'],
};

const eventLabel = (status: string) => (isCarrierEventStatus(status) || status === 'shipped' ? CARRIER_EVENT_LABELS[status] : status);

export type ReportFormState = { values: { problem?: string; description?: string }; errors: Record<string, string>; message?: string };

export type TrackingPageProps = {
  view: TrackingView;
  settings: StoreSettings;
  /** The signed link token: follow-up forms post with it, so nobody types the order details again. */
  token: string;
  /** Case number of a report just made, for the confirmation. */
  reportedCase?: string;
  /** The report form as last submitted, when it was refused. */
  report?: ReportFormState;
  /** Sections added by other features, shown after the parcels. */
  children?: ComponentChildren;
};

export function TrackingPageView({ view, settings, token, reportedCase, report, children }: TrackingPageProps) {
  const [headline, sentence] = HEADLINES[view.status];
  const latest = latestEvent(view.shipments);
  return (
    <div class="track">
      <p class="track-eyebrow">
        Order <strong>{view.number}</strong> · placed <Time at={view.placedAt} s={settings} />
      </p>
      <h1>{headline}</h1>
      <p class="lead">
        {sentence}
        {view.status === 'shipped' && latest ? (
          <>
            {' '}
            Latest: <strong>{eventLabel(latest.status)}</strong>
            {latest.location ? `, ${latest.location}` : ''} — <Time at={latest.occurredAt} s={settings} />.
          </>
        ) : null}
      </p>

      {reportedCase ? (
        <div class="alert alert-ok" role="status">
          <strong>Thank you, we received your report.</strong> Your case number is <strong>{reportedCase}</strong>. We have emailed you a copy and will reply during our
          service hours.
        </div>
      ) : null}

      <section class="panel track-progress" aria-labelledby="progress-title">
        <h2 id="progress-title" class="visually-hidden">
          Progress
        </h2>
        <ol class="steps track-steps">
          {view.stages.map((s) => (
            <li class={s.state} aria-current={s.state === 'current' ? 'step' : undefined}>
              <span class="step-label">{s.label}</span>
              {s.at ? <Time at={s.at} s={settings} short /> : <span class="visually-hidden">not yet</span>}
            </li>
          ))}
        </ol>
        {view.estimate ? (
          <p class="track-estimate">
            <strong>Expected to leave our warehouse by {estimateText(view.estimate.processingEndsAt, settings)}.</strong>{' '}
            <span class="muted">Based on how long recent orders took in each step, our working hours and how busy we are right now.</span>
          </p>
        ) : null}
      </section>

      {view.canReportProblem ? <Inspection /> : null}

      <div class="two-col">
        <div>
          {view.shipments.length ? (
            <section aria-labelledby="parcels-title">
              <h2 id="parcels-title">{view.shipments.length === 1 ? 'Your parcel' : 'Your parcels'}</h2>
              {view.shipments.map((s) => (
                <Parcel shipment={s} settings={settings} />
              ))}
            </section>
          ) : null}

          {children}

          <Refunds view={view} settings={settings} />
          <Requests view={view} settings={settings} />
          <Returns view={view} settings={settings} token={token} />
          <Cases view={view} settings={settings} />
          <Items view={view} />
          {view.canReportProblem ? <ReportForm token={token} state={report} /> : null}
        </div>
        <aside>
          <section class="panel" aria-labelledby="delivery-title">
            <h2 id="delivery-title">Delivery details</h2>
            <dl class="facts">
              <dt>Name</dt>
              <dd>{view.customer.address.name}</dd>
              <dt>Delivering to</dt>
              <dd>
                {view.customer.address.city}, {view.customer.address.state} {view.customer.address.postalCode}
              </dd>
              <dt>Shipping</dt>
              <dd>{settings.shipping.methods[view.shippingMethod as keyof StoreSettings['shipping']['methods']]?.label ?? view.shippingMethod}</dd>
              <dt>Email</dt>
              <dd>{view.customer.email}</dd>
              <dt>Phone</dt>
              <dd>{view.customer.phone}</dd>
            </dl>
            <p class="hint">Parts of your details are hidden to protect your privacy.</p>
          </section>
          <section class="panel" aria-labelledby="help-title">
            <h2 id="help-title">Need help?</h2>
            <p>
              Quote order <strong>{view.number}</strong> and we will take it from there.
            </p>
            <p>
              <a href={`mailto:${settings.contact.email}`}>{settings.contact.email}</a>
              <br />
              <a class="nowrap" href={telHref(settings.contact.phone)}>{settings.contact.phone}</a>
            </p>
          </section>
        </aside>
      </div>
    </div>
  );
}

function latestEvent(shipments: ShipmentView[]) {
  return shipments.flatMap((s) => s.events).reduce<ShipmentView['events'][number] | undefined>((a, e) => (!a || e.occurredAt >= a.occurredAt ? e : a), undefined);
}

function Parcel({ shipment: s, settings }: { shipment: ShipmentView; settings: StoreSettings }) {
  // Newest first: the customer wants to know where the parcel is now.
  const events = [...s.events].reverse();
  return (
    <article class="panel parcel" id={`parcel-${s.id}`}>
      <header class="parcel-head">
        <div>
          <p class="parcel-carrier">{s.carrierName}</p>
          <p class="muted">
            Tracking number <span class="mono nowrap">{s.trackingNumber}</span>
          </p>
        </div>
        <span class={`badge-status status-${s.status}`}>{eventLabel(s.status)}</span>
      </header>
      {s.trackingUrl ? (
        <p>
          <a class="button secondary" href={s.trackingUrl} rel="noopener noreferrer" target="_blank">
            Track on the {s.carrierName} website<span class="visually-hidden"> (opens in a new tab)</span>
          </a>
        </p>
      ) : null}
      {s.contents.length ? (
        <div class="parcel-contents">
          <p class="muted">In this parcel:</p>
          <ul class="plain">
            {s.contents.map((c) => (
              <li>
                {c.quantity} × {c.name} <span class="muted mono">{c.sku}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ol class="timeline">
        {events.map((e) => (
          <li class={`event-${e.status}`}>
            <strong>{eventLabel(e.status)}</strong>
            {e.location ? <span> · {e.location}</span> : null}
            {e.description ? <span class="event-description">{e.description}</span> : null}
            <Time at={e.occurredAt} s={settings} />
          </li>
        ))}
        <li class="event-shipped">
          <strong>{CARRIER_EVENT_LABELS.shipped}</strong>
          <Time at={s.shippedAt} s={settings} />
        </li>
      </ol>
    </article>
  );
}

function Inspection() {
  return (
    <section class="panel track-inspection" aria-labelledby="inspection-title">
      <h2 id="inspection-title">Please check your parcel</h2>
      <p>A quick look now saves trouble later:</p>
      <ul>
        <li>Is the outer packaging intact — no tears, crushed corners or signs of opening?</li>
        <li>Does the number of items match your order (listed below)?</li>
      </ul>
      <p>
        If anything is wrong, keep the parcel and packaging as they are and <a href="#report">report a problem</a>. We will put it right.
      </p>
    </section>
  );
}

function Items({ view }: { view: TrackingView }) {
  const money = (n: number) => formatMoney(n, view.currency);
  return (
    <section class="panel" aria-labelledby="items-title">
      <h2 id="items-title">Items</h2>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" class="num">
              Qty
            </th>
            <th scope="col" class="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {view.items.map((i) => (
            <tr>
              <td>
                {i.name}
                {Object.keys(i.options).length ? <span class="muted"> · {Object.values(i.options).join(', ')}</span> : null}
              </td>
              <td class="num">{i.quantity}</td>
              <td class="num">{money(i.lineTotal)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <TotalsList
        rows={[
          ['Subtotal', money(view.totals.subtotal)],
          ...discountRows(view.totals.discount, view.discountCode, money),
          ['Shipping', view.totals.shipping ? money(view.totals.shipping) : 'Free'],
          ['Tax', money(view.totals.tax)],
        ]}
        total={['Total', money(view.totals.total)]}
      />
    </section>
  );
}

function ReportForm({ token, state }: { token: string; state?: ReportFormState }) {
  const errors = state?.errors ?? {};
  const chosen = state?.values.problem;
  const invalid = (name: string) => (errors[name] ? ' invalid' : '');
  return (
    <section class="panel track-report" id="report" aria-labelledby="report-title">
      <h2 id="report-title">Report a problem</h2>
      <p>Damaged packaging, a missing item or the wrong product? Tell us what you found — a photo helps us sort it out faster.</p>
      {state?.message ? (
        <div class="alert alert-error" role="alert">
          {state.message}
        </div>
      ) : null}
      <form method="post" action={`/track/report?t=${encodeURIComponent(token)}`} enctype="multipart/form-data" novalidate>
        <fieldset class={`problem-choices${invalid('problem')}`} aria-describedby={errors.problem ? 'problem-error' : undefined}>
          <legend>What is wrong?</legend>
          <FieldError id="problem" error={errors.problem} />
          <div class="choices">
            {Object.entries(DELIVERY_PROBLEMS).map(([value, label]) => (
              <label class="choice">
                <input type="radio" name="problem" value={value} checked={chosen === value} required />
                <span class="choice-name">{label}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div class={`field${invalid('description')}`}>
          <label for="description">Description</label>
          <textarea
            id="description"
            name="description"
            required
            maxLength={PROBLEM_DESCRIPTION_MAX}
            rows={5}
            aria-invalid={errors.description ? 'true' : undefined}
            aria-describedby={['description-hint', errors.description ? 'description-error' : ''].filter(Boolean).join(' ')}
          >
            {state?.values.description ?? ''}
          </textarea>
          <p class="hint" id="description-hint">
            What did you notice, and which items are affected?
          </p>
          <FieldError id="description" error={errors.description} />
        </div>
        <PhotosField error={errors.photos}>
          Up to {MAX_PROBLEM_PHOTOS} photos of the parcel and the items, {PROBLEM_PHOTO_MAX_BYTES / 1024 / 1024} MB each. Only our team sees them.
        </PhotosField>
        <button type="submit">Report a problem</button>
      </form>
    </section>
  );
}
