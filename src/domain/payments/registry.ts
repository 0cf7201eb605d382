// The payment providers this store can use, found by the name stored with each payment.
import { validationFailed } from '../shared/errors.ts';
import type { PaymentProvider } from './provider.ts';

export type PaymentRegistry = {
  /** The provider called `name`; a validation error on `payment.provider` when there is none. */
  get(name: string): PaymentProvider;
  /** Names of the registered providers, in registration order. */
  names(): string[];
  /** The provider the storefront uses: the first registered (Stripe when configured, else the sandbox). */
  readonly defaultName: string;
};

export function createPaymentRegistry(providers: PaymentProvider[]): PaymentRegistry {
  if (providers.length === 0) throw new Error('At least one payment provider is needed.');
  const byName = new Map<string, PaymentProvider>();
  for (const provider of providers) {
    if (byName.has(provider.name)) throw new Error(`Two payment providers are named "${provider.name}".`);
    byName.set(provider.name, provider);
  }
  return {
    get(name) {
      const provider = byName.get(name);
      if (!provider) throw validationFailed({ 'payment.provider': 'Unknown payment provider' }, `Choose a supported payment method: ${[...byName.keys()].join(', ')}.`);
      return provider;
    },
    names: () => [...byName.keys()],
    defaultName: providers[0]!.name,
  };
}
