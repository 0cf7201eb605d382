// The storefront's page frame: <head>, header (store name, navigation, cart count),
// footer (contact details and service hours from settings). Header and footer are
// rendered once per settings version and cached; the only per-visitor part is the
// cart count, spliced in as text.
import type { AppContext } from '../../context.ts';
import type { StoreSettings } from '../../domain/settings/store-settings.ts';
import { telHref } from '../../domain/shared/phone.ts';
import { describeWeeklyHours } from '../../domain/support/service-hours.ts';
import { render, escapeHtml } from './html.tsx';
import { assetUrl } from '../assets.ts';
import { headTags, type PageMeta } from './head.ts';

const COUNT = '\u0000cart-count\u0000';

type Frame = { top: [string, string]; bottom: string };
const frames = new WeakMap<StoreSettings, Frame>();

function frame(settings: StoreSettings): Frame {
  let f = frames.get(settings);
  if (f) return f;
  const header = render(<Header settings={settings} />);
  const [a, b] = header.split(COUNT);
  f = { top: [a!, b!], bottom: render(<Footer settings={settings} />) };
  frames.set(settings, f);
  return f;
}

export type PageOptions = PageMeta & {
  /** Rendered <main> content (trusted HTML produced by our components). */
  main: string;
  cartCount?: number;
};

export function renderPage(ctx: AppContext, page: PageOptions): string {
  const settings = ctx.settings();
  const f = frame(settings);
  const title = page.title ? `${page.title} · ${settings.storeName}` : settings.storeName;
  const count = Math.max(0, Math.min(999, Math.floor(page.cartCount ?? 0)));
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title>` +
    headTags(settings, ctx.config.publicUrl, page) +
    `<link rel="stylesheet" href="${assetUrl('store.css')}">` +
    `<script src="${assetUrl('store.js')}" defer></script>` +
    '</head><body>' +
    f.top[0] +
    String(count) +
    f.top[1] +
    `<main id="main" class="container">${page.main}</main>` +
    f.bottom +
    '</body></html>'
  );
}

function Header({ settings }: { settings: StoreSettings }) {
  return (
    <header class="site-header">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <div class="container header-inner">
        <a class="brand" href="/">
          {settings.storeName}
        </a>
        <nav aria-label="Main">
          <ul class="nav">
            <li>
              <a href="/products">Shop</a>
            </li>
            <li>
              <a href="/track">Track order</a>
            </li>
            <li>
              <a href="/returns">Returns</a>
            </li>
            <li>
              <a href="/contact">Contact</a>
            </li>
          </ul>
        </nav>
        <form class="header-search" action="/products" method="get" role="search">
          <label class="visually-hidden" for="header-q">
            Search products
          </label>
          <input id="header-q" name="q" type="search" placeholder="Search products" />
        </form>
        <a class="cart-link" href="/cart">
          Cart <span class="cart-count" data-cart-count>{COUNT}</span>
          <span class="visually-hidden"> items</span>
        </a>
      </div>
    </header>
  );
}

function Footer({ settings }: { settings: StoreSettings }) {
  const c = settings.contact;
  return (
    <footer class="site-footer">
      <div class="container footer-grid">
        <section aria-labelledby="footer-contact">
          <h2 id="footer-contact">Contact us</h2>
          <address>
            {c.address}
            <br />
            Phone: <a href={telHref(c.phone)}>{c.phone}</a>
            <br />
            Email: <a href={`mailto:${c.email}`}>{c.email}</a>
          </address>
        </section>
        <section aria-labelledby="footer-hours">
          <h2 id="footer-hours">Service hours</h2>
          <ul class="plain">
            {describeWeeklyHours(settings.serviceHours).map((line) => (
              <li>{line}</li>
            ))}
          </ul>
          <p class="muted">US Eastern time</p>
        </section>
        <section aria-labelledby="footer-help">
          <h2 id="footer-help">Help</h2>
          <ul class="plain">
            <li>
              <a href="/track">Track your order</a>
            </li>
            <li>
              <a href="/account">My orders</a>
            </li>
            <li>
              <a href="/returns">Returns and exchanges</a>
            </li>
            <li>
              <a href="/policies/order-information">Order information</a>
            </li>
            <li>
              <a href="/policies/shipping">Shipping</a>
            </li>
            <li>
              <a href="/policies/returns">Returns and refunds policy</a>
            </li>
            <li>
              <a href="/policies/privacy">Privacy</a>
            </li>
          </ul>
        </section>
      </div>
      <p class="container copyright">© {settings.storeName}</p>
    </footer>
  );
}
