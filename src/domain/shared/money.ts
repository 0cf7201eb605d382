// Money is an integer number of minor units (cents) with its currency.
export type Money = { amount: number; currency: string };

export const money = (amount: number, currency = 'USD'): Money => ({ amount, currency });

const formatters = new Map<string, Intl.NumberFormat>();

/** "$1,234.50": formatting happens at the edge (pages, emails), never in storage. */
export function formatMoney(amount: number, currency = 'USD'): string {
  let f = formatters.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    formatters.set(currency, f);
  }
  return f.format(amount / 100);
}

/** 1250 → "12.50": the decimal form feeds and structured data want (integer arithmetic, no float rounding). */
export function decimalAmount(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Rate in basis points (600 = 6%), rounded half up to the cent. */
export function applyRate(amount: number, rateBp: number): number {
  return Math.round((amount * rateBp) / 10_000);
}

/**
 * Splits `total` over `weights` in proportion, so the parts add up exactly to `total`
 * (largest remainder). Used to give each order line its share of tax.
 */
export function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (rest <= 0) break;
    parts[i]++;
    rest--;
  }
  return parts;
}
