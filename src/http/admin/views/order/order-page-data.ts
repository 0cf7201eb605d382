// What the one-order page receives, and what each of its panels gets from it.
import type { VNode } from 'preact';
import type { OrderDetail } from '../../../../domain/orders/order-queries.ts';
import type { OrderStatus } from '../../../../domain/orders/order-states.ts';
import type { FormErrors, FormValues } from '../form.tsx';
import type { LabelPanelData } from './label-panel.tsx';

export type OrderPageData = {
  detail: OrderDetail;
  /** Moves the member may make now (the state table filtered by role). */
  actions: Exclude<OrderStatus, 'paid'>[];
  canNote: boolean;
  canRetryRefunds: boolean;
  /** May edit the order (address, items, prices) while it is before shipping. */
  canEdit: boolean;
  csrf: VNode;
  now: Date;
  timeZone: string;
  /** Labels through the shipping provider; undefined when none is set up. */
  labelPanel?: LabelPanelData;
  /** A bought label not handed over yet: the handover form is filled in with it. */
  handoverLabel?: { carrier: string; trackingNumber: string };
  /** A refused action: its target, the reason (409) or the field errors (422), and what was typed. */
  refused?: { action: string; message?: string; errors: FormErrors; values: FormValues };
};

/** Every panel gets the page data and one date formatter, so all of them show times alike. */
export type PanelProps = OrderPageData & { at: (d: Date) => string };
