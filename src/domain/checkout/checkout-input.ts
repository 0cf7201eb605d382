// What a shopper must give at checkout, validated in one pass so every wrong field is
// named at once: contact, a US shipping address, the shipping method and how to pay (never card details).
// The API uses the schema as its request body; the web form maps its fields onto the
// same shape. Prices and totals are not part of it: whatever a client sends is dropped.
import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { validationFailed, type FieldErrors } from '../shared/errors.ts';
import { MemoCache } from '../shared/memo-cache.ts';
import { CARD_FIELDS } from '../payments/provider.ts';
import { SHIPPING_METHODS } from './shipping-rates.ts';
import { US_STATE_CODES, isUsState, type UsState } from './us-states.ts';

const required = (message: string) => ({ error: message });

const text = (what: string, max: number) =>
  z
    .string(required(`Enter ${what}`))
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `Use at most ${max} characters`);

/** Trims and lower-cases the domain; the local part is the mailbox owner's business. */
export function normalizeEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? email.trim() : `${email.slice(0, at).trim()}@${email.slice(at + 1).trim().toLowerCase()}`;
}

// Parsing and checking a number against the numbering plan takes about 0.1 ms, as long as
// the rest of a tracking lookup; the same customers type the same numbers again and again.
const parsedPhones = new MemoCache<string | null>(5000);

/** E.164 (+13045550142) for a valid number; US is assumed when no country code is typed. */
export function phoneToE164(input: string): string | undefined {
  const known = parsedPhones.get(input);
  if (known !== undefined) return known ?? undefined;
  const parsed = parsePhoneNumberFromString(input, 'US');
  return parsedPhones.set(input, parsed?.isValid() ? parsed.number : null) ?? undefined;
}

/** 26104 or 26104-1234 (a space or nothing between the parts is accepted and normalized). */
export function normalizePostalCode(input: string): string | undefined {
  const m = /^(\d{5})(?:[-\s]?(\d{4}))?$/.exec(input.trim());
  return m ? (m[2] ? `${m[1]}-${m[2]}` : m[1]) : undefined;
}

const email = z
  .string(required('Enter your email address'))
  .trim()
  .min(1, 'Enter your email address')
  .max(254, 'Use at most 254 characters')
  .refine((v) => z.regexes.email.test(v), 'Enter a valid email address, like name@example.com')
  .transform(normalizeEmail)
  .describe('Where the order confirmation goes; the domain is lower-cased');

const phone = z
  .string(required('Enter your phone number'))
  .trim()
  .min(1, 'Enter your phone number')
  .max(40, 'Use at most 40 characters')
  .transform((v, ctx) => {
    const e164 = phoneToE164(v);
    if (e164) return e164;
    ctx.addIssue({ code: 'custom', message: 'Enter a valid phone number, like (304) 555-0142' });
    return z.NEVER;
  })
  .describe('Any common format; US numbers need no country code. Stored in E.164.');

const shippingAddress = z.object(
  {
    name: text('the full name', 100),
    line1: text('the street address', 200),
    line2: z
      .string(required('Use text for address line 2'))
      .trim()
      .max(200, 'Use at most 200 characters')
      .optional()
      .transform((v) => v || undefined),
    city: text('the city', 100),
    state: z
      .string(required('Choose a state'))
      .trim()
      .toUpperCase()
      .refine(isUsState, { error: (issue) => (issue.input ? 'Choose a state from the list' : 'Choose a state') })
      .transform((v) => v as UsState)
      .describe(`USPS code: ${US_STATE_CODES.join(', ')}`),
    postalCode: z
      .string(required('Enter the ZIP code'))
      .transform((v, ctx) => {
        const zip = normalizePostalCode(v);
        if (zip) return zip;
        ctx.addIssue({ code: 'custom', message: v.trim() ? 'Enter a 5-digit ZIP code, like 26104' : 'Enter the ZIP code' });
        return z.NEVER;
      })
      .describe('5 digits or ZIP+4'),
    country: z.literal('US', required('We ship to US addresses only')).default('US'),
  },
  required('Enter the shipping address'),
)
  // A missing address is checked as an empty one, so each of its fields is named
  // (the empty object is deliberately not a valid input, hence the cast).
  .prefault({} as never);

/** The shipping address alone: a change of address after checkout is validated the same way. */
export const shippingAddressSchema = shippingAddress;

/**
 * How the shopper pays: the provider, and for a one-call API checkout the provider's
 * payment-method token. Card details are never accepted: a body that still carries them is
 * refused naming the field, so an old client learns why instead of sending cards around.
 */
const payment = z
  .looseObject(
    {
      provider: z.string(required('Choose a payment method')).trim().min(1, 'Choose a payment method').max(40).optional().describe('Payment provider ("sandbox", "stripe"); the store\'s default when omitted'),
      paymentMethod: z
        .string(required('Use a payment-method token'))
        .trim()
        .min(1, 'Enter the payment-method token')
        .max(255, 'Use at most 255 characters')
        .optional()
        .describe('A token issued by the provider (Stripe PaymentMethod id, or a sandbox test token such as sandbox_visa, sandbox_declined, sandbox_3ds)'),
    },
    required('Send the payment as an object'),
  )
  .superRefine((p, ctx) => {
    for (const field of CARD_FIELDS) {
      if (field in p) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: 'Card details are not accepted here: the card is entered on the payment provider\'s page, or pass the provider\'s payment-method token as paymentMethod',
        });
      }
    }
  })
  .transform(({ provider, paymentMethod }) => ({ provider, paymentMethod }))
  .prefault({});

/** Checkout input schema: contact, address, shipping method and how to pay. */
export function checkoutInputSchema() {
  return z.object(
    {
      email,
      phone,
      shippingAddress,
      shippingMethod: z.enum(SHIPPING_METHODS, required('Choose standard or express shipping')),
      payment,
    },
    required('Send the checkout details as a JSON object'),
  );
}

export type CheckoutInput = z.output<ReturnType<typeof checkoutInputSchema>>;

/** Field errors keyed by path ("shippingAddress.postalCode"); the first problem of each field. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) fields[issue.path.join('.') || 'request'] ??= issue.message;
  return fields;
}

/** Validates raw input (e.g. from the web form); throws validation_failed naming every bad field. */
export function parseCheckoutInput(raw: unknown): CheckoutInput {
  const parsed = checkoutInputSchema().safeParse(raw);
  if (!parsed.success) throw validationFailed(fieldErrors(parsed.error));
  return parsed.data;
}
