// Environment configuration, read and validated once at start.
import { z } from 'zod';
import path from 'node:path';
import { parseStorageUrl, type S3Location } from './domain/storage/storage-url.ts';

const url = (what: string) =>
  z.string().refine((v) => URL.canParse(v), { message: `${what} must be a URL` });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Folder that backups are written to (default DATA_DIR/backups). */
  BACKUP_DIR: z.string().min(1).optional(),
  DATABASE_URL: url('DATABASE_URL')
    .refine((v) => /^postgres(ql)?:/.test(v), { message: 'DATABASE_URL must start with postgres:// or postgresql://' })
    .optional(),
  PUBLIC_URL: url('PUBLIC_URL').optional(),
  SMTP_URL: url('SMTP_URL').optional(),
  ADMIN_EMAIL: z.email({ message: 'ADMIN_EMAIL must be an email address' }).optional(),
  ADMIN_PASSWORD: z.string().min(10, 'ADMIN_PASSWORD must be at least 10 characters').optional(),
  /** Secret for signed links (tracking tokens). Generated and kept in the database when unset. */
  APP_SECRET: z.string().min(32, 'APP_SECRET must be at least 32 characters').optional(),
  CARRIER_WEBHOOK_SECRET: z.string().min(16, 'CARRIER_WEBHOOK_SECRET must be at least 16 characters').optional(),
  /** Which proxy to trust for client addresses: "true", a hop count, or addresses/CIDRs. */
  TRUST_PROXY: z.string().optional(),
  /** Run the outbox worker inside the web process (default) or not (use `npm run worker`). */
  WORKER: z.enum(['on', 'off']).default('on'),
  /** Delivery attempts per email before it is marked failed and shown to staff. */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1, 'OUTBOX_MAX_ATTEMPTS must be at least 1').max(50).default(8),
  /** How long a checkout payment may stay without an order (or uncaptured) before the reconciler settles it. */
  RECONCILE_AFTER_SECONDS: z.coerce.number().int().min(1, 'RECONCILE_AFTER_SECONDS must be at least 1').default(900),
  /** Bearer token for /metrics; without it only this machine may scrape. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** Stripe: the three keys go together (dashboard → Developers → API keys, and the webhook endpoint's signing secret). */
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_[0-9A-Za-z]+$/, 'STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_…, sk_live_…, or a restricted rk_… key)').optional(),
  STRIPE_PUBLISHABLE_KEY: z.string().regex(/^pk_(test|live)_[0-9A-Za-z]+$/, 'STRIPE_PUBLISHABLE_KEY must be a Stripe publishable key (pk_test_… or pk_live_…)').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_[0-9A-Za-z+/=]+$/, 'STRIPE_WEBHOOK_SECRET must be the webhook signing secret (whsec_…)').optional(),
  /** Another Stripe API base (stripe-mock, or the test fake): http(s)://host:port. */
  STRIPE_API_URL: url('STRIPE_API_URL').optional(),
  /** Where the browser loads Stripe.js from (tests point it at the fake). */
  STRIPE_JS_URL: url('STRIPE_JS_URL').default('https://js.stripe.com/v3/'),
  /** The built-in sandbox processor (test cards): on by default, off by default once a live Stripe key is set. */
  SANDBOX_PAYMENTS: z.enum(['on', 'off']).optional(),
  /** EasyPost (labels, address checks, automatic tracking): the API key, the webhook secret, and another API base for tests. */
  EASYPOST_API_KEY: z.string().min(8, 'EASYPOST_API_KEY must be an EasyPost API key (EZTK… for test, EZAK… for production)').optional(),
  EASYPOST_WEBHOOK_SECRET: z.string().min(8, 'EASYPOST_WEBHOOK_SECRET must be at least 8 characters').optional(),
  EASYPOST_API_URL: url('EASYPOST_API_URL').optional(),
  /** How long one EasyPost call may take before it counts as unanswered (the label purchase is then safe to retry). */
  EASYPOST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(20_000),
  /** Let webhooks reach loopback and private addresses (development, tests); off, because that is server-side request forgery. */
  WEBHOOKS_ALLOW_PRIVATE: z.enum(['on', 'off']).default('off'),
  /** Let product imports fetch pictures from loopback and private addresses (tests, a LAN file server). */
  IMPORT_ALLOW_PRIVATE: z.enum(['on', 'off']).default('off'),
  /** An S3-compatible bucket for pictures (s3://bucket/prefix?endpoint=…&region=…&forcePathStyle=true); unset keeps them in the database. */
  STORAGE_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  backupDir: string;
  databaseUrl?: string;
  publicUrl: string;
  smtpUrl?: string;
  adminEmail?: string;
  adminPassword?: string;
  appSecret?: string;
  carrierWebhookSecret?: string;
  trustProxy?: boolean | number | string;
  runWorker: boolean;
  outboxMaxAttempts: number;
  /** Grace before interrupted checkout payments are voided or captured by the reconciler. */
  reconcileAfterMs: number;
  logLevel: string;
  metricsToken?: string;
  stripe?: { secretKey: string; publishableKey: string; webhookSecret: string; apiUrl?: string; jsUrl: string };
  sandboxPayments: boolean;
  easypost?: { apiKey: string; webhookSecret?: string; apiUrl?: string; timeoutMs: number };
  /** Webhook endpoints may resolve to loopback or private addresses. */
  webhooksAllowPrivate: boolean;
  /** Product imports may fetch pictures from loopback or private addresses. */
  importAllowPrivate: boolean;
  /** Where pictures live when not in the database. */
  storage?: S3Location;
};

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError listing every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(clean);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const stripeKeys = [e.STRIPE_SECRET_KEY, e.STRIPE_PUBLISHABLE_KEY, e.STRIPE_WEBHOOK_SECRET];
  if (stripeKeys.some(Boolean) && !stripeKeys.every(Boolean)) {
    throw new ConfigError('Invalid configuration:\n  STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET must be set together');
  }
  if (e.STRIPE_SECRET_KEY && e.STRIPE_PUBLISHABLE_KEY && e.STRIPE_SECRET_KEY.includes('_live_') !== e.STRIPE_PUBLISHABLE_KEY.includes('_live_')) {
    throw new ConfigError('Invalid configuration:\n  STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY must both be live keys or both be test keys');
  }
  const storage = e.STORAGE_URL === undefined ? undefined : parseStorageUrl(e.STORAGE_URL);
  if (typeof storage === 'string') throw new ConfigError(`Invalid configuration:\n  ${storage}`);
  const liveStripe = Boolean(e.STRIPE_SECRET_KEY?.includes('_live_'));
  if (e.SANDBOX_PAYMENTS === 'off' && !e.STRIPE_SECRET_KEY) {
    throw new ConfigError('Invalid configuration:\n  SANDBOX_PAYMENTS=off leaves no way to pay: set the STRIPE_* keys too');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    backupDir: path.resolve(e.BACKUP_DIR ?? path.join(e.DATA_DIR, 'backups')),
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`).replace(/\/$/, ''),
    smtpUrl: e.SMTP_URL,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    appSecret: e.APP_SECRET,
    carrierWebhookSecret: e.CARRIER_WEBHOOK_SECRET,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    runWorker: e.WORKER === 'on',
    outboxMaxAttempts: e.OUTBOX_MAX_ATTEMPTS,
    reconcileAfterMs: e.RECONCILE_AFTER_SECONDS * 1000,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    stripe: e.STRIPE_SECRET_KEY
      ? { secretKey: e.STRIPE_SECRET_KEY, publishableKey: e.STRIPE_PUBLISHABLE_KEY!, webhookSecret: e.STRIPE_WEBHOOK_SECRET!, apiUrl: e.STRIPE_API_URL, jsUrl: e.STRIPE_JS_URL }
      : undefined,
    // With live card payments, test cards must not be able to buy anything.
    sandboxPayments: (e.SANDBOX_PAYMENTS ?? (liveStripe ? 'off' : 'on')) === 'on',
    webhooksAllowPrivate: e.WEBHOOKS_ALLOW_PRIVATE === 'on',
    importAllowPrivate: e.IMPORT_ALLOW_PRIVATE === 'on',
    storage,
    easypost: e.EASYPOST_API_KEY
      ? { apiKey: e.EASYPOST_API_KEY, webhookSecret: e.EASYPOST_WEBHOOK_SECRET, apiUrl: e.EASYPOST_API_URL?.replace(/\/?$/, '/'), timeoutMs: e.EASYPOST_TIMEOUT_MS }
      : undefined,
  };
}

function parseTrustProxy(v: string | undefined): Config['trustProxy'] {
  if (v === undefined || v === 'false') return undefined;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}
