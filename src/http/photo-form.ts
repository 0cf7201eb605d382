// Customer forms that may carry photos (a return request, a delivery problem report): posted
// as multipart when photos are attached, and possibly urlencoded when none are.
import type { FastifyRequest } from 'fastify';
import { validationFailed } from '../domain/shared/errors.ts';

/**
 * Reads the form: text fields into `fields` (names up to 100 characters, values up to 10,000),
 * the files named "photos" as buffers. At most one photo more than `maxPhotos` is read, so the
 * domain refuses the count together with any other field; the rest are drained. A photo over
 * `maxBytes`, or far too many files, is refused here (422 naming the field).
 */
export async function readPhotoForm(req: FastifyRequest, fields: Record<string, string>, { maxPhotos, maxBytes }: { maxPhotos: number; maxBytes: number }): Promise<Buffer[]> {
  const keep = (name: string, value: unknown): value is string => typeof value === 'string' && name.length <= 100 && value.length <= 10_000;
  if (!req.isMultipart()) {
    for (const [name, value] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (keep(name, value)) fields[name] = value;
    return [];
  }
  const photos: Buffer[] = [];
  try {
    // The one photo too many, and the empty part of a file input left empty, still fit the limit.
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: maxPhotos + 2 } })) {
      if (part.type === 'field') {
        if (keep(part.fieldname, part.value)) fields[part.fieldname] = part.value;
        continue;
      }
      // A file input left empty still sends one nameless, empty part.
      if (part.fieldname !== 'photos' || !part.filename || photos.length > maxPhotos) {
        part.file.resume();
        continue;
      }
      const bytes = await part.toBuffer();
      if (bytes.length > 0) photos.push(bytes);
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw validationFailed({ photos: `Each photo can be at most ${maxBytes / 1024 / 1024} MB.` });
    if (code === 'FST_FILES_LIMIT') throw validationFailed({ photos: `Attach at most ${maxPhotos} photos.` });
    throw err;
  }
  return photos;
}
