// Pictures in an S3-compatible bucket (a local s3rver on 127.0.0.1, reached through the real
// AWS SDK): a picture uploaded through one instance is served by another on the same
// PostgreSQL and bucket, with the same cache headers; a missing object is a 404; a bucket
// that does not answer refuses the upload with a clear message and saves nothing;
// `npm run storage:migrate` moves every picture out of the database while they still render;
// and a backup carries the bucket's pictures, so a restore into an empty database and an
// empty bucket serves them again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import { openDatabase, rows } from '../src/db/client.ts';
import { productImages, products, returnCases } from '../src/db/schema.ts';
import type { Actor } from '../src/domain/orders/order-events.ts';
import * as orderService from '../src/domain/orders/order-service.ts';
import { signTrackingToken } from '../src/domain/tracking/tracking-token.ts';
import { placeTestOrder } from './helpers/orders.ts';
import { imageBlobKey } from '../src/domain/storage/images.ts';
import { s3BlobStore } from '../src/domain/storage/s3-blob-store.ts';
import { DomainError } from '../src/domain/shared/errors.ts';
import { S3Client } from '@aws-sdk/client-s3';
import { parseStorageUrl, type S3Location } from '../src/domain/storage/storage-url.ts';
import { takeBackup } from '../src/domain/backups/take-backup.ts';
import { restoreBackup } from '../src/domain/backups/restore-backup.ts';
import { picturesFileName } from '../src/domain/backups/backup-pictures.ts';
import { POSTGRES_SKIP_MESSAGE, postgresUrl } from './helpers/databases.ts';
import { addProducts } from './helpers/fixtures.ts';
import { startS3, type TestS3 } from './helpers/s3.ts';
import { freePort } from './helpers/smtp.ts';
import { staffSession } from './helpers/staff.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const run = promisify(execFile);
const warehouse: Actor = { kind: 'staff', staffId: randomUUID(), email: 'wes@casanova.test' };
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Posts the back office's "Add picture" form (multipart, as the browser sends it). */
async function uploadPicture(t: TestApp, productId: string, png: Buffer, owner?: Awaited<ReturnType<typeof staffSession>>) {
  owner ??= await staffSession(t, 'owner');
  const boundary = '----casanova-s3-test';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="alt"\r\n\r\nMug on a shelf\r\n--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="mug.png"\r\nContent-Type: image/png\r\n\r\n`),
    png,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url: `/admin/products/${productId}/images?_csrf=${encodeURIComponent(owner.csrf)}`, cookies: owner.cookies, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

const blobCount = async (t: TestApp) => (await rows<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from blobs`))[0]!.n;
const mugId = async (t: TestApp) => (await t.ctx.db.select({ id: products.id }).from(products).where(eq(products.slug, 'mug')))[0]!.id;

describe('pictures in S3-compatible storage', { skip: postgresUrl ? false : POSTGRES_SKIP_MESSAGE }, () => {
  let s3: TestS3;
  let a: TestApp;
  let down: TestApp;
  let plain: TestApp;
  // All made here, not in the tests: the test databases' template lives as long as the caller of the first testApp.
  before(async () => {
    s3 = await startS3();
    a = await testApp('postgres', { env: { STORAGE_URL: s3.storageUrl('scale') } });
    down = await testApp('postgres', { env: { STORAGE_URL: `s3://casanova-pictures/shop?endpoint=http://127.0.0.1:${await freePort()}&forcePathStyle=true` } });
    plain = await testApp('postgres');
  });
  after(async () => {
    for (const t of [a, down, plain]) await t?.close();
    await s3?.close();
  });

  test('a picture uploaded through one instance is served by another sharing the bucket and the database', async () => {
    // A second instance: its own connection pool, context and picture cache, on the same database and bucket.
    const database = await openDatabase({ databaseUrl: a.database.url!, poolSize: 2 });
    const ctxB = await createContext(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', WORKER: 'off', STORAGE_URL: s3.storageUrl('scale') }), database, { log: pino({ level: 'silent' }) });
    const b = await buildApp(ctxB);
    try {
      await addProducts(a.ctx, [{ slug: 'mug', name: 'Mug', variants: [{ sku: 'MUG-1', price: 1200, stock: 5 }], image: false }]);
      const png = await sharp({ create: { width: 120, height: 90, channels: 3, background: '#cc5533' } }).png().toBuffer();
      const upload = await uploadPicture(a, await mugId(a), png);
      assert.equal(upload.statusCode, 303, upload.body.slice(0, 300));
      const [img] = await a.ctx.db.select().from(productImages).where(eq(productImages.productId, await mugId(a)));
      assert.ok(img, 'the picture is on the product');
      assert.equal(await blobCount(a), 0, 'the picture went to the bucket, not the database');
      assert.ok(await s3.store('scale').has(imageBlobKey(img.imageKey, 'large')), 'the bucket holds it');

      const served = await b.inject({ url: `/images/${img.imageKey}/large.webp` });
      assert.equal(served.statusCode, 200);
      assert.equal(served.headers['content-type'], 'image/webp');
      assert.equal(served.headers['cache-control'], IMMUTABLE);
      assert.equal((await sharp(served.rawPayload).metadata()).width, 120);
      const page = await b.inject({ url: '/products/mug' });
      assert.match(page.body, new RegExp(`/images/${img.imageKey}/`), 'the product page shows it');

      const missing = await b.inject({ url: `/images/img/${randomUUID()}/large.webp` });
      assert.equal(missing.statusCode, 404, 'an object that is not in the bucket is a 404, not a 500');

      // A second picture, deleted again: both its files leave the bucket.
      const owner = await staffSession(a, 'owner');
      assert.equal((await uploadPicture(a, await mugId(a), png, owner)).statusCode, 303);
      const [, extra] = await a.ctx.db.select().from(productImages).where(eq(productImages.productId, await mugId(a))).orderBy(productImages.position);
      assert.equal((await b.inject({ url: `/images/${extra!.imageKey}/thumb.webp` })).statusCode, 200);
      const removed = await a.app.inject({ method: 'POST', url: `/admin/products/${await mugId(a)}/images/${extra!.id}/delete`, cookies: owner.cookies, payload: { _csrf: owner.csrf } });
      assert.equal(removed.statusCode, 303);
      assert.equal(await s3.store('scale').has(imageBlobKey(extra!.imageKey, 'large')), false);
      assert.equal(await s3.store('scale').has(imageBlobKey(extra!.imageKey, 'thumb')), false);
      assert.equal(s3.refused(), 0, 'every request carried a valid Signature Version 4');
    } finally {
      await b.close();
      await database.close();
    }
  });

  test('requests signed with the wrong secret or region are refused as S3 would, and the upload fails clearly', async () => {
    const before = s3.refused();
    const loc = parseStorageUrl(s3.storageUrl('scale')) as S3Location;
    const wrongSecret = s3BlobStore(loc, new S3Client({ endpoint: loc.endpoint, region: loc.region, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'not-the-secret' }, maxAttempts: 1 }));
    await assert.rejects(wrongSecret.put(a.ctx.db, 'img/x/large.webp', { contentType: 'image/webp', bytes: Buffer.from('x') }), (err: unknown) => err instanceof DomainError && err.code === 'unavailable');
    const wrongRegion = s3BlobStore({ ...loc, region: 'eu-west-3' });
    await assert.rejects(wrongRegion.get('img/x/large.webp'), (err: unknown) => err instanceof DomainError && err.code === 'unavailable');
    assert.equal(s3.refused(), before + 2);
  });

  test('with the bucket down an upload is refused with a clear message and nothing is saved', async () => {
    const t = down;
    {
      await addProducts(t.ctx, [{ slug: 'mug', name: 'Mug', variants: [{ sku: 'MUG-1', price: 1200, stock: 5 }], image: false }]);
      const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#333' } }).png().toBuffer();
      const res = await uploadPicture(t, await mugId(t), png);
      assert.equal(res.statusCode, 503);
      assert.match(String(res.headers['content-type']), /text\/html/, 'the product page again, with the message at the picture field');
      assert.match(res.body, /Picture storage is not reachable right now/);
      assert.doesNotMatch(res.body, /ECONNREFUSED/, 'the bucket’s own error stays in the log');
      assert.equal((await t.ctx.db.select().from(productImages)).length, 0, 'no picture row without its files');
      assert.equal(await blobCount(t), 0);

      // A customer's return with a photo: the form comes back with what was typed and the message; no case is opened.
      const o = await placeTestOrder(t, [{ sku: 'MUG-1', quantity: 1 }]);
      await orderService.verify(t.ctx, o.number, warehouse);
      await orderService.startPreparing(t.ctx, o.number, warehouse);
      await orderService.markPacked(t.ctx, o.number, warehouse);
      await orderService.ship(t.ctx, o.number, warehouse, { carrier: 'other', trackingNumber: 'PARCEL123456' });
      await orderService.markDelivered(t.ctx, o.number, warehouse);
      const token = encodeURIComponent(signTrackingToken(t.ctx.secret, o.number));
      const boundary = '----casanova-return';
      const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const payload = Buffer.concat([
        Buffer.from(field('qty.MUG-1', '1') + field('type', 'refund') + field('reason', 'damaged') + field('condition', 'Cracked handle on arrival.')),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="crack.png"\r\nContent-Type: image/png\r\n\r\n`),
        png,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const sent = await t.app.inject({ method: 'POST', url: `/returns/apply?t=${token}`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      assert.equal(sent.statusCode, 503);
      assert.match(String(sent.headers['content-type']), /text\/html/);
      assert.match(sent.body, /Picture storage is not reachable right now/);
      assert.match(sent.body, /Cracked handle on arrival\./, 'what the customer typed is kept');
      assert.equal((await t.ctx.db.select().from(returnCases)).length, 0);
    }
  });

  test('storage:migrate moves every picture from the database to the bucket, resumably, and they still render', async () => {
    const t = plain;
    {
      await addProducts(t.ctx, [
        { slug: 'mug', name: 'Mug', variants: [{ sku: 'MUG-1', price: 1200, stock: 5 }] },
        { slug: 'lamp', name: 'Lamp', variants: [{ sku: 'LAMP-1', price: 4200, stock: 5 }] },
      ]);
      const keys = (await rows<{ key: string }>(t.ctx.db, sql`select key from blobs order by key`)).map((r) => r.key);
      assert.equal(keys.length, 4, 'two pictures in two sizes');
      // As if a first run stopped after copying one file and before removing it from the database.
      const [first] = await rows<{ key: string; content_type: string; bytes: Buffer }>(t.ctx.db, sql`select key, content_type, bytes from blobs order by key limit 1`);
      await s3.store('moved').put(t.ctx.db, first!.key, { contentType: first!.content_type, bytes: first!.bytes });

      const env = { ...process.env, DATABASE_URL: t.database.url!, STORAGE_URL: s3.storageUrl('moved'), LOG_LEVEL: 'silent' };
      const once = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'storage:migrate'], { env });
      assert.match(once.stdout, /Moved 3 stored files to s3:\/\/casanova-pictures\/moved\/ \(1 were already there\)/);
      assert.equal(await blobCount(t), 0, 'none are left in the database');
      for (const key of keys) assert.ok(await s3.store('moved').has(key), `${key} is in the bucket`);
      const again = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'storage:migrate'], { env });
      assert.match(again.stdout, /Moved 0 stored files .*\(0 were already there\)/, 'a second run finds nothing to do');

      // An instance started with STORAGE_URL after the move.
      const database = await openDatabase({ databaseUrl: t.database.url!, poolSize: 2 });
      const ctx = await createContext(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', WORKER: 'off', STORAGE_URL: s3.storageUrl('moved') }), database, { log: pino({ level: 'silent' }) });
      const app = await buildApp(ctx);
      try {
        for (const key of keys) {
          const res = await app.inject({ url: `/images/${key}` });
          assert.equal(res.statusCode, 200, key);
          assert.equal(res.headers['cache-control'], IMMUTABLE);
        }
      } finally {
        await app.close();
        await database.close();
      }
    }
  });

  test('a backup includes the pictures in the bucket; restored into an empty database and bucket they are served again', async () => {
    // `a` holds the mug picture of the first test, in the bucket only.
    const [img] = await a.ctx.db.select().from(productImages);
    assert.ok(img);
    assert.equal(await blobCount(a), 0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casanova-s3-backup-'));
    const target = `casanova_s3_restore_${randomUUID().slice(0, 8)}`;
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${target}`);
    const targetUrl = Object.assign(new URL(postgresUrl!), { pathname: `/${target}` }).toString();
    try {
      const done = await takeBackup({ ...a.ctx, config: { ...a.ctx.config, backupDir: dir } }, 'test');
      const file = path.join(dir, done.fileName!);
      assert.ok(fs.existsSync(picturesFileName(file)), 'the pictures file is beside the dump');
      assert.equal(done.sizeBytes, fs.statSync(file).size + fs.statSync(picturesFileName(file)).size);

      // Wiped: a new, empty database and an empty bucket prefix.
      const report = await restoreBackup({ databaseUrl: targetUrl, dataDir: dir, storage: parseStorageUrl(s3.storageUrl('restored')) as S3Location }, file);
      assert.equal(report.pictures, 2, 'both sizes of the picture');
      assert.ok(await s3.store('restored').has(imageBlobKey(img.imageKey, 'large')));
      const database = await openDatabase({ databaseUrl: targetUrl, poolSize: 2 });
      const ctx = await createContext(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', WORKER: 'off', STORAGE_URL: s3.storageUrl('restored') }), database, { log: pino({ level: 'silent' }) });
      const app = await buildApp(ctx);
      try {
        const res = await app.inject({ url: `/images/${img.imageKey}/large.webp` });
        assert.equal(res.statusCode, 200);
        assert.equal((await sharp(res.rawPayload).metadata()).width, 120);
      } finally {
        await app.close();
        await database.close();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
      await admin.end();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
