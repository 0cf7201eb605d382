// Browser tests: Debian's Chromium driven by playwright-core against the real app on a
// random local port. Skipped with a message when Chromium is not installed.
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { testApp, type TestApp } from './test-app.ts';
import type { DbKind } from './databases.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const BROWSER_SKIP = existsSync(CHROMIUM) ? false : `Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`;

export type BrowserApp = TestApp & { baseUrl: string; browser: Browser; newPage(opts?: { width?: number; height?: number }): Promise<Page> };

/** A port free right now, so the app can be told its public URL before it listens (payment pages redirect back to it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Headless Debian Chromium with the flags this machine needs. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function browserApp(kind: DbKind = 'pglite', opts: Parameters<typeof testApp>[1] = {}): Promise<BrowserApp> {
  const port = await freePort();
  const t = await testApp(kind, { ...opts, env: { PUBLIC_URL: `http://127.0.0.1:${port}`, ...opts.env } });
  const address = await t.app.listen({ port, host: '127.0.0.1' });
  const browser = await launchChromium();
  return {
    ...t,
    baseUrl: address,
    browser,
    async newPage({ width = 1280, height = 900 } = {}) {
      const context = await browser.newContext({ viewport: { width, height }, baseURL: address });
      return context.newPage();
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** Saves a screenshot under test-output/ for a person to look at. */
export async function screenshot(page: Page, name: string) {
  mkdirSync('test-output', { recursive: true });
  await page.screenshot({ path: `test-output/${name}.png`, fullPage: true });
}

/** Runs axe-core in the page; returns its violations of the given impacts (serious and critical unless told). */
export async function axeViolations(page: Page, impacts: readonly string[] = ['serious', 'critical']) {
  const { createRequire } = await import('node:module');
  const source = (await import('node:fs')).readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: an inline <script> tag would be blocked by our CSP.
  await page.evaluate(source);
  const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run());
  return result.violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

mkdirSync('test-output', { recursive: true });
