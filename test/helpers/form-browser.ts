// A browser without a browser: page requests through app.inject with the cookies kept
// between them, for scenario tests of the storefront forms.
import type { TestApp } from './test-app.ts';

/** Cookies across page requests, as a browser keeps them. */
export class Browser {
  cookies = new Map<string, string>();
  constructor(private t: TestApp) {}
  async go(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    const res = await this.t.app.inject({
      method,
      url,
      headers: { accept: 'text/html', cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      payload: form ? new URLSearchParams(form).toString() : undefined,
    });
    const set = res.headers['set-cookie'];
    for (const c of (Array.isArray(set) ? set : set ? [set] : []) as string[]) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      const value = v.join('=');
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c) || /max-age=0/i.test(c)) this.cookies.delete(k!);
      else this.cookies.set(k!, value);
    }
    return res;
  }
}

const formKeyOf = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)![1]!;
const shownTotalOf = (html: string) => /name="shownTotal" value="(\d+)"/.exec(html)![1]!;

/** The checkout form's fields as a shopper fills them, with the key and total the page rendered. */
export function checkoutForm(html: string, over: Record<string, string> = {}) {
  return {
    idempotencyKey: formKeyOf(html),
    shownTotal: shownTotalOf(html),
    email: 'sam@example.com',
    phone: '304-555-0199',
    name: 'Sam Rivera',
    line1: '3850 Central Ave',
    line2: 'Apt 19',
    city: 'Parkersburg',
    state: '',
    postalCode: '26104',
    shippingMethod: 'standard',
    ...over,
  };
}
