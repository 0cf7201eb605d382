// Turns an uploaded or generated picture into the sizes the store serves.
import { randomUUID } from 'node:crypto';
import type { Conn } from '../../db/client.ts';
import type { BlobStore } from './blob-store.ts';
import { DomainError } from '../shared/errors.ts';

/** Sizes served: thumbnails for lists, large for the product gallery. */
export const IMAGE_SIZES = { thumb: 400, large: 1000 } as const;
export type ImageSize = keyof typeof IMAGE_SIZES;

export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif']);

export const imageBlobKey = (imageKey: string, size: ImageSize) => `${imageKey}/${size}.webp`;

/** Refuses `input` unless it is a picture we serve (by its content, not its name). */
export async function checkImage(input: Buffer, opts: { allowSvg?: boolean } = {}): Promise<void> {
  if (input.length > MAX_UPLOAD_BYTES) {
    throw new DomainError('payload_too_large', `Images must be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  }
  // Loaded on first use: libvips is large, and most processes never resize a picture.
  const { default: sharp } = await import('sharp');
  const meta = await sharp(input)
    .metadata()
    .catch(() => undefined);
  // SVG is only for pictures we draw ourselves (the demo catalog): uploaded SVG can carry scripts.
  if (!meta?.format || !(ACCEPTED.has(meta.format) || (opts.allowSvg && meta.format === 'svg'))) {
    throw new DomainError('unsupported_media_type', 'Upload a JPEG, PNG, WebP, GIF or AVIF picture.');
  }
}

/**
 * Checks that `input` really is a picture, then stores every size as WebP. Returns the
 * image key and the large size's dimensions.
 */
export async function storeImage(conn: Conn, store: BlobStore, input: Buffer, opts: { prefix?: string; allowSvg?: boolean } = {}) {
  await checkImage(input, opts);
  const { default: sharp } = await import('sharp');
  const imageKey = `${opts.prefix ?? 'img'}/${randomUUID()}`;
  // Decode the original once (the large size); smaller sizes come from that.
  const large = await sharp(input)
    .rotate()
    .resize(IMAGE_SIZES.large, IMAGE_SIZES.large, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 82, effort: 1 })
    .toBuffer({ resolveWithObject: true });
  const thumb = await sharp(large.data)
    .resize(IMAGE_SIZES.thumb, IMAGE_SIZES.thumb, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80, effort: 1 })
    .toBuffer({ resolveWithObject: true });
  for (const [size, img] of [['large', large], ['thumb', thumb]] as const) {
    await store.put(conn, imageBlobKey(imageKey, size), { contentType: 'image/webp', bytes: img.data, width: img.info.width, height: img.info.height });
  }
  return { imageKey, width: large.info.width, height: large.info.height };
}
