// A web server for import tests that names pictures by URL: on 127.0.0.1, an ephemeral port.
// /pic/NAME.png is a small PNG (its colour from NAME), /notes.txt is not a picture,
// /huge.png is larger than the import's cap, /moved.png redirects to /pic/moved.png, /hang
// never answers; anything else is a 404. `hits` counts requests per path.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import sharp from 'sharp';

export type PictureServer = { url: string; hits: Map<string, number>; close(): Promise<void> };

export async function startPictureServer(): Promise<PictureServer> {
  const hits = new Map<string, number>();
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const pic = /^\/pic\/([\w-]+)\.png$/.exec(path);
    if (pic) {
      const background = `#${createHash('sha256').update(pic[1]!).digest('hex').slice(0, 6)}`;
      const png = await sharp({ create: { width: 64, height: 48, channels: 3, background } }).png().toBuffer();
      return res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
    }
    if (path === '/notes.txt') return res.writeHead(200, { 'content-type': 'image/png' }).end('not a picture at all');
    if (path === '/huge.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(9 * 1024 * 1024));
    if (path === '/moved.png') return res.writeHead(302, { location: '/pic/moved.png' }).end();
    if (path === '/hang') return void hanging.add(res);
    res.writeHead(404).end('no such file');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
