// Checkout throughput: `concurrency` shoppers in a closed loop, each creating a cart that holds
// its item (one call) and checking out with the sandbox's succeeding payment-method token through
// the public API. The rate counts whole orders (both calls); the latencies are the checkout call's.
export type CheckoutResult = { ordersPerSecond: number; p50: number; p99: number; failed: number; orders: number };

/** A valid checkout paid with the sandbox's succeeding token (what a provider's SDK hands an API client in place of a card). */
export const checkoutBody = {
  email: 'bench@example.com',
  phone: '304-555-0142',
  shippingAddress: { name: 'Bench Shopper', line1: '1 Main St', city: 'Parkersburg', state: 'WV', postalCode: '26101', country: 'US' },
  shippingMethod: 'standard',
  payment: { provider: 'sandbox', paymentMethod: 'sandbox_visa' },
};

async function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

export async function checkoutLoad(base: string, skus: string[], concurrency: number, seconds: number): Promise<CheckoutResult> {
  const latencies: number[] = [];
  let failed = 0;
  let n = 0;
  const until = performance.now() + seconds * 1000;
  const shopper = async () => {
    while (performance.now() < until) {
      const sku = skus[n++ % skus.length]!;
      const cart = await post(`${base}/api/v1/carts`, { items: [{ sku, quantity: 1 }] });
      const t = performance.now();
      const res = await post(`${base}/api/v1/carts/${cart.json.id}/checkout`, checkoutBody, { 'idempotency-key': crypto.randomUUID() });
      if (res.status === 201) latencies.push(performance.now() - t);
      else failed++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, shopper));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? 0);
  return { ordersPerSecond: Math.round(latencies.length / elapsed), p50: pct(50), p99: pct(99), failed, orders: latencies.length };
}
