// s3rver implements S3's REST API but does not check Signature Version 4 (it only looks up the
// access key). This proxy in front of it does, the way S3 does (AWS's "Signature Version 4
// signing process": canonical request, string to sign, HMAC key chain over date, region and
// service), and checks the body against x-amz-content-sha256; a request that fails is
// answered 403 SignatureDoesNotMatch in S3's XML, as S3 would. So a store that signs with
// the wrong secret, region or host is caught here as it would be by AWS, R2 or MinIO.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
/** RFC 3986 encoding, as SigV4 wants it. */
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export type SignatureCheck = { url: string; refused: number; close(): Promise<void> };

export async function startSignatureCheck(upstream: string, keys: Record<string, string>, region: string): Promise<SignatureCheck> {
  const state = { refused: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const problem = verify(req, body, keys, region);
      if (problem) {
        state.refused++;
        res.writeHead(403, { 'content-type': 'application/xml' });
        return res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>${problem}</Message></Error>`);
      }
      const forward = http.request(new URL(req.url!, upstream), { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      });
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get refused() {
      return state.refused;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function verify(req: http.IncomingMessage, body: Buffer, keys: Record<string, string>, region: string): string | undefined {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
  if (!auth) return 'Requests must be signed with AWS4-HMAC-SHA256.';
  const [, accessKey, date, scopeRegion, signedHeaders, signature] = auth as unknown as string[];
  const secret = keys[accessKey!];
  if (!secret) return 'Unknown access key.';
  if (scopeRegion !== region) return `The credential scope is for ${scopeRegion}, not ${region}.`;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date!)) return 'x-amz-date does not match the credential date.';
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) return 'x-amz-content-sha256 does not match the body.';
  const signed = signedHeaders!.split(';');
  if (!signed.includes('host')) return 'The host header must be signed.';

  const url = new URL(req.url!, 'http://placeholder');
  const rawQuery = (req.url!.split('?')[1] ?? '').split('&').filter(Boolean);
  const query = rawQuery
    .map((pair) => {
      const [k, v = ''] = pair.split('=');
      return [encode(decodeURIComponent(k!)), encode(decodeURIComponent(v.replace(/\+/g, '%20')))] as const;
    })
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = signed.map((h) => `${h}:${String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, url.pathname, query, headers, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region), 's3'), 'aws4_request');
  const expected = createHmac('sha256', key).update(toSign).digest();
  return timingSafeEqual(expected, Buffer.from(signature!, 'hex')) ? undefined : 'The request signature does not match.';
}
