// STORAGE_URL, read at start (config.ts): which bucket pictures go to. Kept apart from the
// S3 store itself so reading the configuration never loads the AWS SDK.

export type S3Location = { bucket: string; prefix: string; endpoint?: string; region: string; forcePathStyle: boolean };

/** STORAGE_URL as a bucket location, or a message naming what is wrong with it. */
export function parseStorageUrl(raw: string): S3Location | string {
  if (!URL.canParse(raw)) return 'STORAGE_URL must be a URL like s3://bucket/prefix?region=us-east-1';
  const url = new URL(raw);
  if (url.protocol !== 's3:') return 'STORAGE_URL must start with s3:// (leave it unset to keep pictures in the database)';
  if (!url.hostname) return 'STORAGE_URL must name the bucket: s3://bucket/prefix';
  const endpoint = url.searchParams.get('endpoint') ?? undefined;
  if (endpoint && !/^https?:\/\//.test(endpoint)) return 'STORAGE_URL endpoint= must be an http:// or https:// URL';
  const pathStyle = url.searchParams.get('forcePathStyle') ?? 'false';
  if (!['true', 'false'].includes(pathStyle)) return 'STORAGE_URL forcePathStyle= must be true or false';
  const prefix = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
  return {
    bucket: url.hostname,
    prefix: prefix ? `${prefix}/` : '',
    endpoint,
    // R2 takes "auto"; MinIO any name; AWS the bucket's region.
    region: url.searchParams.get('region') ?? process.env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: pathStyle === 'true',
  };
}
