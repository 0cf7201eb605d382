// Pictures kept outside the database (STORAGE_URL's bucket) cannot be in a database dump, so
// a backup of such a store writes them beside it: `<backup>.pictures.ndjson.gz`, one JSON line
// per stored file (key, type, size, bytes in base64), gzipped and streamed so a large bucket
// never sits in memory. A restore puts them into whichever store the restored shop is
// configured with: the bucket of its STORAGE_URL, or the database.
import fs from 'node:fs';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Conn } from '../../db/client.ts';
import type { BlobStore } from '../storage/blob-store.ts';

/** The pictures file that goes with a backup file (same name, its own extension). */
export const picturesFileName = (backupFile: string) => backupFile.replace(/\.(pgdump|tar\.gz)$/, '.pictures.ndjson.gz');

type Line = { key: string; contentType: string; width?: number | null; height?: number | null; bytes: string };

/** Writes every file `store` lists to `file`; returns how many. */
export async function writePictures(store: BlobStore & { list(): AsyncIterable<string> }, file: string): Promise<number> {
  let count = 0;
  async function* lines() {
    for await (const key of store.list()) {
      const blob = await store.get(key);
      // Deleted between the listing and the read: nothing to keep.
      if (!blob) continue;
      count++;
      const line: Line = { key, contentType: blob.contentType, width: blob.width, height: blob.height, bytes: blob.bytes.toString('base64') };
      yield `${JSON.stringify(line)}\n`;
    }
  }
  await pipeline(Readable.from(lines()), createGzip(), fs.createWriteStream(file));
  return count;
}

/** Puts every file of a pictures file into `store`; returns how many. */
export async function restorePictures(store: BlobStore, conn: Conn, file: string): Promise<number> {
  let count = 0;
  const input = fs.createReadStream(file).pipe(createGunzip());
  for await (const text of readline.createInterface({ input, crlfDelay: Infinity })) {
    if (!text.trim()) continue;
    const line = JSON.parse(text) as Line;
    await store.put(conn, line.key, { contentType: line.contentType, width: line.width, height: line.height, bytes: Buffer.from(line.bytes, 'base64') });
    count++;
  }
  return count;
}
