// The sales-tax boundary: checkout asks a TaxProvider what to charge for an address and
// its lines. The built-in provider reads the store's table (tax-table.ts); a tax service
// (TaxJar, Avalara, Stripe Tax) implements the same call and returns its jurisdictions.
import type { StoreSettings } from '../settings/store-settings.ts';
import { tableTax, type TaxQuote, type TaxRequest } from './tax-table.ts';

export type TaxProvider = {
  name: string;
  /** The tax on these lines shipped to `req.state`; lineTax in the request's order. */
  quote(settings: StoreSettings, req: TaxRequest): Promise<TaxQuote>;
};

export const tableTaxProvider: TaxProvider = {
  name: 'table',
  quote: async (settings, req) => tableTax(settings, req),
};
