// STORAGE_URL: a bucket, an optional key prefix, and the endpoint, region and path style that
// AWS S3, Cloudflare R2 and MinIO need; anything else stops the store with a message naming it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { parseStorageUrl } from '../../src/domain/storage/storage-url.ts';

describe('STORAGE_URL', () => {
  it('names the bucket, the prefix, and for MinIO or R2 the endpoint, region and path style', () => {
    assert.deepEqual(parseStorageUrl('s3://pictures/shop/one?endpoint=http://127.0.0.1:9000&region=us-east-1&forcePathStyle=true'), {
      bucket: 'pictures',
      prefix: 'shop/one/',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      forcePathStyle: true,
    });
    assert.deepEqual(parseStorageUrl('s3://pictures?region=auto&endpoint=https://acc.r2.cloudflarestorage.com'), {
      bucket: 'pictures',
      prefix: '',
      endpoint: 'https://acc.r2.cloudflarestorage.com',
      region: 'auto',
      forcePathStyle: false,
    });
  });

  it('is optional (pictures stay in the database); a wrong one stops the store with a message', () => {
    assert.equal(loadConfig({}).storage, undefined);
    assert.equal(loadConfig({ STORAGE_URL: 's3://pictures?region=eu-west-1' }).storage?.region, 'eu-west-1');
    for (const [raw, message] of [
      ['https://pictures.example.com', /must start with s3:\/\//],
      ['s3://pictures?endpoint=ftp://x', /endpoint= must be an http/],
      ['s3://pictures?forcePathStyle=yes', /forcePathStyle= must be true or false/],
      ['not a url', /must be a URL/],
    ] as const) {
      assert.throws(() => loadConfig({ STORAGE_URL: raw }), (err: unknown) => err instanceof ConfigError && message.test(err.message));
    }
  });
});
