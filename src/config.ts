// Environment configuration, read and validated once at start.
import { z } from 'zod';
import path from 'node:path';

const url = (what: string) =>
  z.string().refine((v) => URL.canParse(v), { message: `${what} must be a URL` });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
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
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
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
  };
}

function parseTrustProxy(v: string | undefined): Config['trustProxy'] {
  if (v === undefined || v === 'false') return undefined;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}
