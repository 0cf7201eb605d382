// The one database schema, shared by PGlite (embedded) and PostgreSQL.
// Money columns are integer minor units (cents); every table that changes over
// time carries timestamps with time zone.
// Tables live in schema/, one file per area; this barrel is what the app,
// the Drizzle client and drizzle-kit import, so a new table file is added here.
export * from './schema/store.ts';
export * from './schema/catalog.ts';
export * from './schema/carts.ts';
export * from './schema/orders.ts';
export * from './schema/payments.ts';
export * from './schema/sandbox.ts';
export * from './schema/shipments.ts';
export * from './schema/outbox.ts';
export * from './schema/staff.ts';
export * from './schema/support.ts';
export * from './schema/returns.ts';
export * from './schema/customers.ts';
export * from './schema/recovery.ts';
export * from './schema/backups.ts';
export * from './schema/notifications.ts';
export * from './schema/webhooks.ts';
export * from './schema/phone-orders.ts';
export * from './schema/shipping-labels.ts';
export * from './schema/discounts.ts';
