// Pictures named by URL in an import (Shopify's Image Src, WooCommerce's Images): fetched with
// Node's own fetch, a timeout and a size cap, only from public addresses unless
// IMPORT_ALLOW_PRIVATE=on (the same guard as webhooks: whoever writes the file chooses the
// URL), redirects followed by hand so each hop is checked, and the content checked to be a
// picture before any row counts on it.
import { checkImage, MAX_UPLOAD_BYTES } from '../storage/images.ts';
import { privateHostRefusal, type Resolver } from '../shared/public-address.ts';
import { DomainError } from '../shared/errors.ts';

export type PictureFetch = { bytes: Buffer } | { problem: string };
export type FetchOptions = { allowPrivate: boolean; resolve?: Resolver; timeoutMs?: number; maxBytes?: number };

const MAX_REDIRECTS = 3;
/** Fetches at once: enough to hide latency, few enough not to hammer one shop's CDN. */
const PARALLEL = 4;

export async function fetchPicture(raw: string, opts: FetchOptions): Promise<PictureFetch> {
  const maxBytes = opts.maxBytes ?? MAX_UPLOAD_BYTES;
  let url = raw;
  try {
    for (let hop = 0; ; hop++) {
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return { problem: 'it is not an http(s) URL.' };
      const refusal = await privateHostRefusal(url, { allowPrivate: opts.allowPrivate, resolve: opts.resolve, rule: 'pictures are fetched only from public addresses (set IMPORT_ALLOW_PRIVATE=on to allow them)' });
      if (refusal) return { problem: refusal };
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000), headers: { accept: 'image/*' } });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        if (hop >= MAX_REDIRECTS) return { problem: `it redirects more than ${MAX_REDIRECTS} times.` };
        url = new URL(location, url).toString();
        continue;
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        return { problem: `the server answered ${res.status}.` };
      }
      const bytes = await readCapped(res, maxBytes);
      if (!bytes) return { problem: `it is larger than ${maxBytes / 1024 / 1024} MB.` };
      await checkImage(bytes);
      return { bytes };
    }
  } catch (err) {
    if (err instanceof DomainError) return { problem: 'it is not a JPEG, PNG, WebP, GIF or AVIF picture.' };
    if (err instanceof Error && err.name === 'TimeoutError') return { problem: 'the server did not answer in time.' };
    return { problem: `it could not be fetched (${err instanceof Error ? err.message : String(err)}).` };
  }
}

/** The body, or undefined as soon as it passes `max` bytes (a wrong Content-Length cannot fool it). */
async function readCapped(res: Response, max: number): Promise<Buffer | undefined> {
  if (Number(res.headers.get('content-length') ?? 0) > max) {
    await res.body?.cancel();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body ?? []) {
    total += chunk.length;
    if (total > max) return undefined;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** Fetches each distinct URL once, a few at a time. */
export async function fetchPictures(urls: Iterable<string>, opts: FetchOptions): Promise<Map<string, PictureFetch>> {
  const todo = [...new Set(urls)];
  const done = new Map<string, PictureFetch>();
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, todo.length) }, async () => {
      for (let url = todo.shift(); url !== undefined; url = todo.shift()) done.set(url, await fetchPicture(url, opts));
    }),
  );
  return done;
}
