// Store settings: everything the owner can change without a deploy. Stored as one
// JSON document; this schema gives every field its default and its validation.
import { z } from 'zod';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24-hour)');
const cents = z.number().int().min(0);
const stateCode = z.string().regex(/^[A-Z]{2}$/);

/** One shipping zone: the states it covers and its rates by parcel weight. */
const shippingZone = z.object({
  name: z.string().min(1).max(60),
  states: z.array(stateCode).min(1),
  /** Standard shipping is free from this subtotal up; null = never free here; absent = the store-wide threshold. */
  freeStandardFrom: cents.nullable().optional(),
  /** Ascending by weight; the last bracket (upToGrams null) takes every heavier parcel. */
  brackets: z
    .array(z.object({ upToGrams: z.number().int().min(1).nullable(), standard: cents, express: cents }))
    .min(1)
    .refine((b) => b.at(-1)!.upToGrams === null && b.slice(0, -1).every((x, i) => x.upToGrams !== null && (i === 0 || x.upToGrams > b[i - 1]!.upToGrams!)), {
      message: 'Give weights in ascending order and end with an "over" bracket for heavier parcels.',
    }),
});
export type ShippingZone = z.infer<typeof shippingZone>;

export const settingsSchema = z.object({
  storeName: z.string().min(1).max(80).default('CasanovaSpace'),
  contact: z
    .object({
      address: z.string().min(1).default('3850 Central Ave Apt 19, Parkersburg, WV 26104, US'),
      phone: z.string().min(1).default('+1 (681) 510-1126'),
      email: z.email().default('globalhelpwzq@casanovaspace.com'),
    })
    .prefault({}),
  /** Customer-service and warehouse working hours, in `timeZone`. */
  serviceHours: z
    .object({
      timeZone: z.string().min(1).default('America/New_York'),
      /** ISO weekdays 1 (Monday) … 7 (Sunday) → open intervals. */
      weekly: z
        .record(z.string().regex(/^[1-7]$/), z.array(z.object({ start: time, end: time })))
        .default({
          '1': [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '18:00' }],
          '2': [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '18:00' }],
          '3': [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '18:00' }],
          '4': [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '18:00' }],
          '5': [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '18:00' }],
        }),
      /** Closed days, as YYYY-MM-DD in the shop's time zone. */
      holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
      /** First reply to a support case is due within this many service hours. */
      firstReplyHours: z.number().positive().max(100).default(4),
    })
    .prefault({}),
  email: z
    .object({
      from: z.string().min(3).default('CasanovaSpace <orders@casanovaspace.com>'),
      replyTo: z.email().default('globalhelpwzq@casanovaspace.com'),
    })
    .prefault({}),
  orderNumberPrefix: z.string().regex(/^[A-Z]{1,4}-$/, 'Use 1–4 capital letters and a dash, e.g. CS-').default('CS-'),
  currency: z.literal('USD').default('USD'),
  shipping: z
    .object({
      methods: z
        .object({
          standard: z.object({ label: z.string(), rate: cents, days: z.string() }).default({ label: 'Standard', rate: 695, days: '3–6 business days' }),
          express: z.object({ label: z.string(), rate: cents, days: z.string() }).default({ label: 'Express', rate: 1895, days: '1–2 business days' }),
        })
        .prefault({}),
      /** Standard shipping is free from this subtotal up (cents); null turns it off. */
      freeStandardFrom: cents.nullable().default(7500),
      /**
       * Rates by destination and parcel weight. A state in no zone (and a cart whose state is
       * not known yet) pays the flat `methods` rates above.
       */
      zones: z.array(shippingZone).default([]),
      /** What a variant without a recorded weight counts as, in grams, when a rate depends on weight. */
      defaultItemGrams: z.number().int().min(1).max(100_000).default(500),
    })
    .prefault({}),
  /** One reminder to shoppers who typed their email at checkout and left without paying. */
  cartRecovery: z
    .object({
      enabled: z.boolean().default(true),
      /** Minutes after the shopper left checkout. */
      delayMinutes: z.number().int().min(15).max(7 * 24 * 60).default(120),
    })
    .prefault({}),
  /** Sales tax by US state code, in basis points (600 = 6%). */
  taxRates: z.record(stateCode, z.number().int().min(0).max(2000)).default({ WV: 600 }),
  /**
   * What each state leaves out of sales tax. West Virginia taxes delivery charges and
   * exempts food for home consumption; a state not listed taxes goods only.
   */
  taxRules: z
    .record(stateCode, z.object({ shippingTaxable: z.boolean().default(false), exemptCategories: z.array(z.enum(['general', 'clothing', 'groceries'])).default([]) }))
    .default({ WV: { shippingTaxable: true, exemptCategories: ['groceries'] } }),
  /**
   * Economic-nexus thresholds: sales (cents) and transactions in a calendar year above which a
   * state expects the shop to register and collect. Most states use $100,000 (some also 200
   * transactions); `states` holds the exceptions the owner enters.
   */
  nexus: z
    .object({
      sales: cents.default(10_000_000),
      transactions: z.number().int().min(1).nullable().default(200),
      states: z.record(stateCode, z.object({ sales: cents, transactions: z.number().int().min(1).nullable() })).default({}),
    })
    .prefault({}),
  returns: z
    .object({
      windowDays: z.number().int().min(0).max(365).default(30),
      refundShipping: z.boolean().default(false),
      /** Restocking fee in basis points of the returned goods (0 = none). */
      restockingFeeBp: z.number().int().min(0).max(5000).default(0),
    })
    .prefault({}),
  requests: z
    .object({
      /** Cancellation requests for orders still in these states are approved without staff. */
      autoApproveCancelIn: z.array(z.string()).default(['paid', 'verified']),
    })
    .prefault({}),
  payments: z
    .object({
      /**
       * When card payments are taken: `checkout` captures at once; `handover` only reserves
       * the amount at checkout and captures it when the parcel goes to the carrier (or when
       * staff press Capture), so a cancelled order never charged the card. Reservations
       * lapse after about 7 days at most card networks.
       */
      capture: z.enum(['checkout', 'handover']).default('checkout'),
    })
    .prefault({}),
  /** The daily backup (domain/backups): off until the owner turns it on, at `hour` in the shop's time zone. */
  backups: z
    .object({
      enabled: z.boolean().default(false),
      hour: z.number().int().min(0, 'Use an hour from 0 to 23').max(23, 'Use an hour from 0 to 23').default(3),
      /** How many backup files stay in BACKUP_DIR; older ones are deleted after each new backup. */
      keep: z.number().int().min(1, 'Keep at least 1 backup').max(365, 'Keep at most 365 backups').default(7),
    })
    .prefault({}),
  lowStockThreshold: z.number().int().min(0).default(5),
  /** Labels bought through the shipping provider: where parcels leave from, and the boxes the warehouse packs in. */
  parcels: z
    .object({
      shipFrom: z
        .object({
          name: z.string().min(1).max(80).default('CasanovaSpace'),
          line1: z.string().min(1).max(100).default('3850 Central Ave Apt 19'),
          line2: z.string().max(100).default(''),
          city: z.string().min(1).max(60).default('Parkersburg'),
          state: z.string().regex(/^[A-Z]{2}$/, 'Use the two-letter state code').default('WV'),
          postalCode: z.string().regex(/^\d{5}(-\d{4})?$/, 'Use a 5-digit ZIP code').default('26104'),
          phone: z.string().max(30).default('+16815101126'),
        })
        .prefault({}),
      /** Package presets: inner size (mm) and what the empty box weighs (g), added to the goods' weight. */
      packages: z
        .array(
          z.object({
            name: z.string().min(1, 'Name the package').max(60),
            lengthMm: z.number().int().min(1, 'Give the inner length').max(3000),
            widthMm: z.number().int().min(1, 'Give the inner width').max(3000),
            heightMm: z.number().int().min(1, 'Give the inner height').max(3000),
            emptyWeightGrams: z.number().int().min(0).max(30_000),
          }),
        )
        .max(30)
        .default([
          { name: 'Small box', lengthMm: 229, widthMm: 152, heightMm: 102, emptyWeightGrams: 150 },
          { name: 'Medium box', lengthMm: 305, widthMm: 229, heightMm: 152, emptyWeightGrams: 300 },
          { name: 'Large box', lengthMm: 457, widthMm: 305, heightMm: 305, emptyWeightGrams: 600 },
          { name: 'Padded mailer', lengthMm: 330, widthMm: 254, heightMm: 25, emptyWeightGrams: 40 },
        ]),
    })
    .prefault({}),
});

export type StoreSettings = z.infer<typeof settingsSchema>;
export type PackagePreset = StoreSettings['parcels']['packages'][number];
export type ShippingMethod = keyof StoreSettings['shipping']['methods'];

export const defaultSettings = (): StoreSettings => settingsSchema.parse({});
