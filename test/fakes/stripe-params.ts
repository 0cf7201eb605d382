// Stripe's request encoding and the checks it makes before an endpoint runs, for the Stripe
// fake. Bodies (and GET query strings) are application/x-www-form-urlencoded with bracket
// notation: `metadata[order]=x`, `line_items[0][price_data][unit_amount]=500`, `expand[0]=a`.
// Every value arrives as a string; the endpoint decides what it means.

export type Param = string | Params | Param[];
export type Params = { [key: string]: Param };

/** The body of a Stripe error answer: `{ error: StripeErrorBody }`. */
export type StripeErrorBody = {
  type: 'card_error' | 'invalid_request_error' | 'idempotency_error' | 'api_error';
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: object;
  payment_method?: object;
};

/**
 * A Stripe error answer. `saved` says whether the idempotency layer keeps it for replays:
 * Stripe saves a result only once the endpoint began executing, so a request refused for
 * its parameters may be retried with the same key (https://docs.stripe.com/api/idempotent_requests).
 */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly saved = true,
  ) {
    super(body.message);
  }
}

const docUrl = (code?: string) => (code ? `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` : undefined);

/** An invalid_request_error found while the endpoint ran (saved for idempotent replays). */
export function invalidRequest(message: string, opts: { code?: string; param?: string; status?: number } = {}): StripeApiError {
  return new StripeApiError(opts.status ?? 400, { type: 'invalid_request_error', message, code: opts.code, param: opts.param, doc_url: docUrl(opts.code) });
}

/** A parameter Stripe refuses before the endpoint runs (not saved: a retry may fix it). */
export function paramError(message: string, param: string, code = 'parameter_invalid'): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', message, code, param, doc_url: docUrl(code) }, false);
}

export function resourceMissing(kind: string, id: string, param?: string): StripeApiError {
  // A missing object in the path is a 404; one named by a parameter is a 400, as Stripe answers.
  return new StripeApiError(param ? 400 : 404, { type: 'invalid_request_error', message: `No such ${kind}: '${id}'`, code: 'resource_missing', param, doc_url: docUrl('resource_missing') });
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw paramError(`Invalid URL encoding: ${s.slice(0, 40)}`, 'body');
  }
}

/** `a[b][0][]` → ['a', 'b', '0', '']. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0 || !key.endsWith(']')) return [key];
  return [key.slice(0, open), ...key.slice(open + 1, -1).split('][')];
}

/** Decodes a Stripe form body (or query string) into nested objects and arrays. */
export function decodeForm(body: string): Params {
  const root: Params = {};
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const path = keyPath(decode(eq < 0 ? pair : pair.slice(0, eq)));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    let node = root;
    path.forEach((segment, i) => {
      // `expand[]=a&expand[]=b`: an empty index appends.
      const key = segment === '' ? String(Object.keys(node).length) : segment;
      if (i === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (typeof next === 'string') throw paramError(`Invalid hash`, path.slice(0, i + 1).join('['), 'parameter_invalid');
      node = (next as Params | undefined) ?? (node[key] = {});
    });
  }
  return withArrays(root) as Params;
}

/** Objects whose keys are all indexes become arrays, except metadata (its keys are the merchant's). */
function withArrays(node: Param, key = ''): Param {
  if (typeof node === 'string' || Array.isArray(node)) return node;
  const entries = Object.entries(node).map(([k, v]) => [k, withArrays(v, k)] as const);
  if (key !== 'metadata' && entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

/** Refuses a parameter the endpoint does not have, as Stripe does (a typo is a 400, not ignored). */
export function onlyKnown(params: Params, known: readonly string[], prefix = ''): void {
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) {
      const name = prefix ? `${prefix}[${key}]` : key;
      throw paramError(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
    }
  }
}

/** Typed reads of one object's parameters; `prefix` names nested ones in messages (`line_items[0]`). */
export function reader(params: Params | undefined, prefix = '') {
  const p = params ?? {};
  const name = (key: string) => (prefix ? `${prefix}[${key}]` : key);
  const str = (key: string): string | undefined => {
    const v = p[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw paramError(`Invalid string: ${JSON.stringify(v)}`, name(key));
    return v;
  };
  const required = (key: string): string => {
    const v = str(key);
    if (v === undefined || v === '') throw paramError(`Missing required param: ${name(key)}.`, name(key), 'parameter_missing');
    return v;
  };
  const int = (key: string): number | undefined => {
    const v = str(key);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw paramError(`Invalid integer: ${v}`, name(key), 'parameter_invalid_integer');
    return Number(v);
  };
  return {
    str,
    required,
    int,
    requiredInt(key: string): number {
      required(key);
      return int(key)!;
    },
    bool(key: string): boolean | undefined {
      const v = str(key);
      if (v === undefined) return undefined;
      if (v !== 'true' && v !== 'false') throw paramError(`Invalid boolean: ${v}`, name(key));
      return v === 'true';
    },
    oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
      const v = str(key);
      if (v === undefined) return undefined;
      if (!(values as readonly string[]).includes(v)) throw paramError(`Invalid ${name(key)}: must be one of ${values.join(', ')}`, name(key));
      return v as T;
    },
    url(key: string): string | undefined {
      const v = str(key);
      if (v === undefined) return undefined;
      if (!URL.canParse(v)) throw paramError('Not a valid URL', name(key), 'url_invalid');
      return v;
    },
    object(key: string): Params | undefined {
      const v = p[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'object' || Array.isArray(v)) throw paramError(`Invalid object`, name(key));
      return v;
    },
    list(key: string): Param[] {
      const v = p[key];
      if (v === undefined) return [];
      if (!Array.isArray(v)) throw paramError(`Invalid array`, name(key));
      return v;
    },
    strings(key: string): string[] {
      const v = p[key];
      if (v === undefined) return [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw paramError(`Invalid array`, name(key));
      return v as string[];
    },
    /** Stripe's metadata: string values; an empty value leaves the key out. */
    metadata(key = 'metadata'): Record<string, string> {
      const v = p[key];
      if (v === undefined || v === '') return {};
      if (typeof v !== 'object' || Array.isArray(v)) throw paramError('Invalid object', name(key));
      const out: Record<string, string> = {};
      for (const [k, value] of Object.entries(v)) {
        if (typeof value !== 'string') throw paramError(`Invalid string: ${JSON.stringify(value)}`, `${name(key)}[${k}]`);
        if (k.length > 40) throw paramError(`Metadata keys can be at most 40 characters.`, `${name(key)}[${k}]`);
        if (value.length > 500) throw paramError(`Metadata values can be at most 500 characters.`, `${name(key)}[${k}]`);
        if (value !== '') out[k] = value;
      }
      if (Object.keys(out).length > 50) throw paramError('Metadata can have at most 50 keys.', name(key));
      return out;
    },
  };
}

/**
 * The parameter names each endpoint accepts, taken from the SDK's type definitions
 * (`stripe` 23.2.0, API 2026-11-18). Those the fake does not model are accepted and ignored.
 */
export const KNOWN_PARAMS = {
  paymentIntentCreate: [
    'amount', 'currency', 'allowed_payment_method_types', 'amount_details', 'application_fee_amount', 'automatic_payment_methods',
    'capture_method', 'confirm', 'confirmation_method', 'confirmation_token', 'customer', 'customer_account', 'description',
    'error_on_requires_action', 'excluded_payment_method_types', 'expand', 'hooks', 'mandate', 'mandate_data', 'metadata',
    'off_session', 'on_behalf_of', 'payment_details', 'payment_method', 'payment_method_configuration', 'payment_method_data',
    'payment_method_options', 'payment_method_types', 'radar_options', 'receipt_email', 'return_url', 'setup_future_usage',
    'shipping', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_data', 'transfer_group', 'use_stripe_sdk',
  ],
  paymentIntentConfirm: [
    'allowed_payment_method_types', 'amount_details', 'amount_to_confirm', 'capture_method', 'confirmation_token',
    'error_on_requires_action', 'excluded_payment_method_types', 'expand', 'hooks', 'mandate', 'mandate_data', 'off_session',
    'payment_details', 'payment_method', 'payment_method_data', 'payment_method_options', 'radar_options', 'receipt_email',
    'return_url', 'setup_future_usage', 'shipping', 'use_stripe_sdk',
    // Sent by Stripe.js with a publishable key.
    'client_secret',
  ],
  paymentIntentCapture: [
    'amount_details', 'amount_to_capture', 'application_fee_amount', 'expand', 'final_capture', 'hooks', 'metadata',
    'payment_details', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_data',
  ],
  paymentIntentCancel: ['cancellation_reason', 'expand'],
  retrieve: ['expand', 'client_secret'],
  refundCreate: [
    'amount', 'charge', 'currency', 'customer', 'expand', 'instructions_email', 'metadata', 'origin', 'payment_intent', 'reason',
    'refund_application_fee', 'reverse_transfer',
  ],
  paymentMethodCreate: ['type', 'card', 'billing_details', 'metadata', 'expand', 'allow_redisplay', 'customer', 'payment_method'],
  sessionCreate: [
    'adaptive_pricing', 'after_expiration', 'allow_promotion_codes', 'allowed_payment_method_types', 'automatic_tax',
    'billing_address_collection', 'branding_settings', 'cancel_url', 'client_reference_id', 'consent_collection', 'currency',
    'custom_fields', 'custom_text', 'customer', 'customer_account', 'customer_creation', 'customer_email', 'customer_update',
    'discounts', 'excluded_payment_method_types', 'expand', 'expires_at', 'integration_identifier', 'invoice_creation',
    'line_items', 'locale', 'managed_payments', 'metadata', 'mode', 'name_collection', 'optional_items', 'origin_context',
    'payment_intent_data', 'payment_method_collection', 'payment_method_configuration', 'payment_method_data',
    'payment_method_options', 'payment_method_types', 'permissions', 'phone_number_collection', 'redirect_on_completion',
    'return_url', 'saved_payment_method_options', 'setup_intent_data', 'shipping_address_collection', 'shipping_options',
    'submit_type', 'subscription_data', 'success_url', 'tax_id_collection', 'ui_mode', 'wallet_options',
  ],
  sessionPaymentIntentData: [
    'application_fee_amount', 'capture_method', 'description', 'metadata', 'on_behalf_of', 'receipt_email', 'setup_future_usage',
    'shipping', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_data', 'transfer_group',
  ],
  expand: ['expand'],
} as const;
