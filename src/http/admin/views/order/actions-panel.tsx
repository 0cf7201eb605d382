// "Next step": the moves this member may make now, each its own form, plus hold, cancel and another parcel.
import type { VNode } from 'preact';
import { formatMoney } from '../../../../domain/shared/money.ts';
import { BEFORE_SHIPPING, ORDER_STATES, TRANSITIONS, VERBS, type OrderStatus } from '../../../../domain/orders/order-states.ts';
import { CARRIERS, carrierLabel } from '../../../../domain/shipments/carriers.ts';
import { ErrorSummary, Field, SelectField, text } from '../form.tsx';
import type { OrderPageData } from './order-page-data.ts';

const ACTION_LABELS: Record<string, string> = {
  reason: 'Reason',
  holdReason: 'Hold reason',
  cancelReason: 'Cancellation reason',
  carrier: 'Carrier',
  trackingNumber: 'Tracking number',
  text: 'Note',
};

export function Actions(d: OrderPageData & { status: OrderStatus; refundNote?: string; printLinks: VNode | null }) {
  const { order } = d.detail;
  const action = `/admin/orders/${order.number}/transitions`;
  const refusedHere = (to: string) => (d.refused?.action === to ? d.refused : undefined);
  const errorsFor = (to: string) => refusedHere(to)?.errors ?? {};
  // A bought label fills in the handover: nobody types what the label already says.
  const fromLabel = (name: string) => (name === 'carrier' ? d.handoverLabel?.carrier : name === 'trackingNumber' ? d.handoverLabel?.trackingNumber : undefined) ?? '';
  const valueOf = (to: string, name: string) => (refusedHere(to) ? text(refusedHere(to)!.values, name) : fromLabel(name));
  // Awaiting payment for changes: nothing is prepared before it is paid.
  const forward = d.actions.filter((a) => a !== 'on_hold' && a !== 'cancelled' && !(order.awaitingPaymentId && a === 'preparing'));
  const allShipmentErrors = d.refused?.action === 'shipped' || d.refused?.action === 'add-shipment' ? d.refused.errors : {};

  if (d.actions.length === 0 && d.status !== 'shipped') {
    return (
      <section class="panel actions" aria-labelledby="actions-title">
        <h2 id="actions-title">Next step</h2>
        <p class="muted">
          {TRANSITIONS[d.status].length === 0 ? `Nothing more to do: the order is ${ORDER_STATES[d.status].toLowerCase()}.` : 'Your role cannot move this order on from here.'}
        </p>
        {d.printLinks}
      </section>
    );
  }

  const awaited = order.awaitingPaymentId ? d.detail.payments.find((p) => p.id === order.awaitingPaymentId) : undefined;
  return (
    <section class="panel actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Next step</h2>
      {awaited ? (
        <p class="alert alert-info" role="status">
          Awaiting the customer’s payment of {formatMoney(awaited.amount, awaited.currency)} for the changes: it cannot be prepared until that is paid (the link is in their email and on their tracking page), or the edit is undone.
        </p>
      ) : null}
      <ErrorSummary errors={d.refused?.errors ?? {}} labels={ACTION_LABELS} />
      <div class="action-row">
        {forward.map((to) =>
          to === 'shipped' ? (
            <form method="post" action={action} class="action-form handover">
              {d.csrf}
              <input type="hidden" name="to" value="shipped" />
              <div class="row">
                <SelectField
                  name="carrier"
                  label="Carrier"
                  value={valueOf('shipped', 'carrier')}
                  error={errorsFor('shipped').carrier}
                  options={[{ value: '', label: 'Choose…' }, ...CARRIERS.map((c) => ({ value: c, label: carrierLabel(c) }))]}
                />
                <Field name="trackingNumber" label="Tracking number" value={valueOf('shipped', 'trackingNumber')} error={errorsFor('shipped').trackingNumber} maxLength={60} autocomplete="off" hint="From the label; spaces are fine." />
              </div>
              <button type="submit">{VERBS.shipped}</button>
            </form>
          ) : (
            <form method="post" action={action} class="action-form">
              {d.csrf}
              <input type="hidden" name="to" value={to} />
              <button type="submit">{VERBS[to]}</button>
            </form>
          ),
        )}
      </div>

      {d.printLinks}

      {d.status === 'shipped' && d.actions.length > 0 ? (
        <details class="more-actions" open={Object.keys(allShipmentErrors).length > 0 || Boolean(d.handoverLabel)}>
          <summary>Another parcel for this order</summary>
          <form method="post" action={`/admin/orders/${order.number}/shipments`} class="action-form handover">
            {d.csrf}
            <div class="row">
              <SelectField
                name="carrier"
                label="Carrier"
                value={valueOf('add-shipment', 'carrier')}
                error={errorsFor('add-shipment').carrier}
                options={[{ value: '', label: 'Choose…' }, ...CARRIERS.map((c) => ({ value: c, label: carrierLabel(c) }))]}
              />
              <Field name="trackingNumber" label="Tracking number" value={valueOf('add-shipment', 'trackingNumber')} error={errorsFor('add-shipment').trackingNumber} maxLength={60} autocomplete="off" />
            </div>
            <button type="submit" class="secondary">
              Add shipment
            </button>
          </form>
        </details>
      ) : null}

      {d.actions.includes('on_hold') ? (
        <details class="more-actions" open={Boolean(refusedHere('on_hold'))}>
          <summary>Something wrong? Put the order on hold</summary>
          <form method="post" action={action} class="action-form">
            {d.csrf}
            <input type="hidden" name="to" value="on_hold" />
            <Field
              name="holdReason"
              label="Hold reason"
              value={valueOf('on_hold', 'holdReason')}
              error={errorsFor('on_hold').holdReason}
              hint="E.g. the address looks wrong. Shown to staff only."
              maxLength={500}
            />
            <button type="submit" class="secondary">
              {VERBS.on_hold}
            </button>
          </form>
        </details>
      ) : null}

      {d.canEdit && BEFORE_SHIPPING.includes(d.status) ? (
        <p class="more-actions">
          <a href={`/admin/orders/${order.number}/edit`}>Edit order</a> <span class="muted">· address, items, quantities and prices, before it ships</span>
        </p>
      ) : null}

      {d.actions.includes('cancelled') ? (
        <details class="more-actions danger-zone" open={Boolean(refusedHere('cancelled'))}>
          <summary>Cancel the order</summary>
          <form method="post" action={action} class="action-form">
            {d.csrf}
            <input type="hidden" name="to" value="cancelled" />
            <Field
              name="cancelReason"
              label="Cancellation reason"
              value={valueOf('cancelled', 'cancelReason')}
              error={errorsFor('cancelled').cancelReason}
              hint={`The stock goes back on the shelf${d.refundNote ? ` and ${d.refundNote}` : '.'} The customer is emailed.`}
              maxLength={500}
            />
            <button type="submit" class="danger">
              {VERBS.cancelled}
            </button>
          </form>
        </details>
      ) : null}
    </section>
  );
}
