// A local S3 server for tests: s3rver (the S3 REST API over a temporary folder) on an
// ephemeral 127.0.0.1 port, with one bucket, behind a proxy that checks every request's
// Signature Version 4 (fakes/s3-signature-check.ts). The store reaches it through the real
// AWS SDK, with credentials from the standard AWS environment variables, as in production.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { s3BlobStore, type S3BlobStore } from '../../src/domain/storage/s3-blob-store.ts';
import { parseStorageUrl, type S3Location } from '../../src/domain/storage/storage-url.ts';
import { startSignatureCheck } from '../fakes/s3-signature-check.ts';

export type TestS3 = { /** Requests the signature check refused. */ refused(): number; endpoint: string; bucket: string; storageUrl(prefix?: string): string; store(prefix?: string): S3BlobStore; close(): Promise<void> };

// s3rver's built-in account; the SDK reads these like real AWS keys.
process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';

export async function startS3(bucket = 'casanova-pictures'): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'casanova-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = (await server.run()) as { port: number };
  const check = await startSignatureCheck(`http://127.0.0.1:${port}`, { S3RVER: 'S3RVER' }, 'us-east-1');
  const endpoint = check.url;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  const storageUrl = (prefix = 'shop') => `s3://${bucket}/${prefix}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1&forcePathStyle=true`;
  return {
    refused: () => check.refused,
    endpoint,
    bucket,
    storageUrl,
    store: (prefix) => s3BlobStore(parseStorageUrl(storageUrl(prefix)) as S3Location),
    async close() {
      await check.close();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
