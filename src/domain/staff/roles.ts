// Who may do what in the back office and the admin API, as one literal table:
// permission → the roles that hold it. Routes ask `can(role, permission)`; nothing
// else decides access.

/** Staff roles: the name people see and what the role is for. */
export const ROLES = {
  owner: { label: 'Owner', description: 'Everything, including staff accounts and store settings.' },
  support: { label: 'Support', description: 'Orders, cancellations, requests, returns, refunds, discounts, customer replies and notes.' },
  warehouse: { label: 'Warehouse', description: 'Order processing and shipping, and stock counts.' },
} as const;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];
export const isRole = (s: string): s is Role => Object.hasOwn(ROLES, s);

export const PERMISSIONS = {
  'orders.view': { label: 'see orders, customers and their timelines', roles: ['owner', 'support', 'warehouse'] },
  'orders.process': { label: 'verify, prepare, pack, ship and deliver orders', roles: ['owner', 'support', 'warehouse'] },
  'orders.cancel': { label: 'cancel orders', roles: ['owner', 'support'] },
  'orders.phone': { label: 'take orders by phone and email the payment link', roles: ['owner', 'support'] },
  'orders.edit': { label: 'edit orders before shipping: address, items, quantities and prices', roles: ['owner', 'support'] },
  'refunds.issue': { label: 'issue refunds', roles: ['owner', 'support'] },
  'requests.decide': { label: 'approve or decline cancellation and change requests', roles: ['owner', 'support'] },
  'returns.manage': { label: 'handle returns and exchanges', roles: ['owner', 'support'] },
  'support.reply': { label: 'answer customers in the support inbox', roles: ['owner', 'support'] },
  'notes.write': { label: 'write internal notes', roles: ['owner', 'support'] },
  'discounts.manage': { label: 'create, change and deactivate discount codes and promotions', roles: ['owner', 'support'] },
  'catalog.edit': { label: 'edit products, prices and images', roles: ['owner'] },
  'stock.adjust': { label: 'adjust stock', roles: ['owner', 'warehouse'] },
  'settings.edit': { label: 'change store settings', roles: ['owner'] },
  'reports.tax': { label: 'download sales-tax reports and see economic-nexus progress', roles: ['owner'] },
  'staff.manage': { label: 'manage staff accounts', roles: ['owner'] },
  'notifications.view': { label: 'see the customer email texts and preview them', roles: ['owner', 'support'] },
  'notifications.edit': { label: 'change the customer email texts', roles: ['owner'] },
  'webhooks.manage': { label: 'register webhook endpoints and read their delivery logs', roles: ['owner'] },
  'outbox.retry': { label: 'see sent mail and retry failed deliveries', roles: ['owner', 'support'] },
} as const satisfies Record<string, { label: string; roles: readonly Role[] }>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly Role[]).includes(role);
}

/** Everything a role may do (for display and tests). */
export const permissionsOf = (role: Role): Permission[] => PERMISSION_NAMES.filter((p) => can(role, p));
