// The payment providers this store can use, found by the name stored with each payment.
import { validationFailed } from '../shared/errors.ts';
import type { PaymentProvider } from './provider.ts';

export type PaymentRegistry = {
  /** The provider called `name`; a validation error on `payment.provider` when there is none. */
  get(name: string): PaymentProvider;
  /** Names of the registered providers, in registration order. */
  names(): string[];
};

export function createPaymentRegistry(providers: PaymentProvider[]): PaymentRegistry {
  const byName = new Map<string, PaymentProvider>();
  for (const provider of providers) {
    if (byName.has(provider.name)) throw new Error(`Two payment providers are named "${provider.name}".`);
    byName.set(provider.name, provider);
  }
  return {
    get(name) {
      const provider = byName.get(name);
      if (!provider) throw validationFailed({ 'payment.provider': 'Unknown payment provider' }, 'Choose a supported payment method.');
      return provider;
    },
    names: () => [...byName.keys()],
  };
}
