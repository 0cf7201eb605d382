// Everything the domain needs from the outside world, built once per process and
// passed to services as their first argument. Tests build it with other parts
// (a fixed clock, an in-memory database, a failing payment provider).
import type { Logger } from 'pino';
import { pino } from 'pino';
import { eq } from 'drizzle-orm';
import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';
import { appSecrets } from './db/schema.ts';
import { systemClock, type Clock } from './domain/shared/clock.ts';
import { randomToken } from './domain/shared/ids.ts';
import { onChange, type ChangeTopic } from './domain/shared/change-bus.ts';
import { loadSettings } from './domain/settings/settings-service.ts';
import type { StoreSettings } from './domain/settings/store-settings.ts';
import { databaseBlobStore, withCache, type BlobStore } from './domain/storage/blob-store.ts';
import { createPaymentRegistry, type PaymentRegistry } from './domain/payments/registry.ts';
import { createSandboxProvider } from './domain/payments/sandbox-provider.ts';
import { createStripeProvider } from './domain/payments/stripe-provider.ts';
import { createHmac } from 'node:crypto';
import type { PaymentProvider } from './domain/payments/provider.ts';
import { tableTaxProvider, type TaxProvider } from './domain/tax/tax-provider.ts';
import { noShippingProvider, type ShippingProvider } from './domain/shipments/shipping-provider.ts';
import { createEasyPostProvider } from './domain/shipments/easypost-provider.ts';

export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
  log: Logger;
  blobs: BlobStore;
  /** Payment providers, found by the name stored with each payment (charges, refunds). */
  payments: PaymentRegistry;
  /** Where checkout's sales tax comes from: the store's table unless a tax service is configured. */
  tax: TaxProvider;
  /** The shipping aggregator for labels and tracking (EasyPost when configured, else none: handover by hand). */
  shipping: ShippingProvider;
  /** The current store settings (kept fresh by change announcements). */
  settings(): StoreSettings;
  /** Key for signed links (tracking tokens); stable across restarts and instances. */
  secret: string;
  /** Runs `fn` whenever any instance announces a change to `topic`. */
  onChange(topic: ChangeTopic, fn: () => void): void;
};

export type ContextOverrides = Partial<Pick<AppContext, 'clock' | 'log' | 'blobs' | 'payments' | 'tax' | 'shipping'>>;

export async function createContext(config: Config, database: Database, overrides: ContextOverrides = {}): Promise<AppContext> {
  const log = overrides.log ?? pino({ level: config.logLevel, redact: redactPaths });
  let settings = await loadSettings(database.db);
  const listeners = new Map<ChangeTopic, (() => void)[]>();
  await onChange(database, (topic) => {
    if (topic === 'settings') {
      loadSettings(database.db)
        .then((s) => (settings = s))
        .catch((err) => log.error({ err }, 'reloading settings failed'));
    }
    listeners.get(topic)?.forEach((fn) => fn());
  });
  const clock = overrides.clock ?? systemClock;
  const secret = config.appSecret ?? (await storedSecret(database.db, 'signing_key'));
  return {
    config,
    database,
    db: database.db,
    clock,
    log,
    blobs: overrides.blobs ?? (await configuredBlobStore(config, database.db)),
    payments: overrides.payments ?? createPaymentRegistry(paymentProviders(config, database.db, clock, secret)),
    tax: overrides.tax ?? tableTaxProvider,
    shipping: overrides.shipping ?? (config.easypost ? createEasyPostProvider(config.easypost) : noShippingProvider),
    settings: () => settings,
    secret,
    onChange(topic, fn) {
      listeners.set(topic, [...(listeners.get(topic) ?? []), fn]);
    },
  };
}

/** The bucket of STORAGE_URL (falling back to pictures still in the database), or the database. */
export async function configuredBlobStore(config: Pick<Config, 'storage'>, db: Db): Promise<BlobStore> {
  if (!config.storage) return databaseBlobStore(db);
  // Loaded only when configured: the AWS SDK is large and most shops keep pictures in the database.
  const { s3BlobStore, withDatabaseFallback } = await import('./domain/storage/s3-blob-store.ts');
  return withCache(withDatabaseFallback(s3BlobStore(config.storage), databaseBlobStore(db, 0)), 64 * 1024 * 1024);
}

/** Stripe first when configured (the storefront's default), then the sandbox unless it is off. */
function paymentProviders(config: Config, db: Db, clock: Clock, secret: string): PaymentProvider[] {
  const providers: PaymentProvider[] = [];
  if (config.stripe) providers.push(createStripeProvider(config.stripe));
  if (config.sandboxPayments) {
    const signingKey = createHmac('sha256', secret).update('sandbox-webhooks').digest('hex');
    providers.push(createSandboxProvider({ db, clock, publicUrl: config.publicUrl, signingKey }));
  }
  return providers;
}

/** Secrets, tokens, passwords and card data never reach the logs. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.cardNumber',
  '*.cvc',
  '*.token',
  '*.clientSecret',
];

/** Reads a generated secret, creating it on first use (first writer wins across instances). */
async function storedSecret(db: Db, name: string): Promise<string> {
  await db.insert(appSecrets).values({ name, value: randomToken(32) }).onConflictDoNothing();
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
  return row!.value;
}
