// Choosing how to send a body the server keeps ready in several encodings, making those
// encodings, and answering conditional requests for it. Plain HTTP rules, nothing store-specific.
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const COMPRESS = {
  // Once per body, off the main thread: the smallest output is worth the time.
  br: (body: Buffer) => brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body: Buffer) => gzip(body, { level: 9 }),
};

/** A body kept as bytes, compressed on libuv's thread pool the first time a client asks for each encoding. */
export class EncodedBody {
  private readonly encoded: Partial<Record<'br' | 'gzip', Promise<Buffer>>> = {};

  constructor(readonly identity: Buffer) {}

  get(encoding: Encoding): Promise<Buffer> | Buffer {
    if (encoding === 'identity') return this.identity;
    let body = this.encoded[encoding];
    if (!body) {
      body = this.encoded[encoding] = COMPRESS[encoding](this.identity);
      // A failure is not kept: the next request tries again.
      body.catch(() => delete this.encoded[encoding]);
    }
    return body;
  }
}

/**
 * The best encoding the client accepts (Accept-Encoding, RFC 9110 §12.5.3): brotli, then
 * gzip, else none. `q=0` refuses a coding; `*` stands for any coding not named.
 */
export function preferredEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  const q: Partial<Record<string, number>> = {};
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';');
    const coding = name!.trim().toLowerCase();
    if (!coding) continue;
    const weight = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    q[coding === 'x-gzip' ? 'gzip' : coding] = weight ? Number(weight.slice(2)) || 0 : 1;
  }
  const accepts = (coding: 'br' | 'gzip') => (q[coding] ?? q['*'] ?? 0) > 0;
  return accepts('br') ? 'br' : accepts('gzip') ? 'gzip' : 'identity';
}

/** Whether If-None-Match names this entity tag (weak comparison, as RFC 9110 §13.1.2 asks for GET). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = bare(etag);
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => bare(tag) === wanted);
}
