// Which permission each order move needs: processing (verify … deliver) is the warehouse's
// daily work; cancelling gives money back, so it belongs to support and the owner.
import type { Permission } from '../staff/roles.ts';
import type { OrderStatus } from './order-states.ts';

export const TRANSITION_PERMISSION: Record<Exclude<OrderStatus, 'paid'>, Permission> = {
  verified: 'orders.process',
  on_hold: 'orders.process',
  preparing: 'orders.process',
  packed: 'orders.process',
  shipped: 'orders.process',
  delivered: 'orders.process',
  cancelled: 'orders.cancel',
};
