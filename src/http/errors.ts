// One place maps domain error codes to HTTP status codes and shapes every error
// response as { error: { code, message, details? } }. 5xx never leaks internals.
import type { FastifyError } from 'fastify';
import { DomainError, type ErrorCode } from '../domain/shared/errors.ts';

export const STATUS: Record<ErrorCode, number> = {
  not_found: 404,
  validation_failed: 422,
  bad_request: 400,
  conflict: 409,
  invalid_transition: 409,
  out_of_stock: 409,
  payment_declined: 402,
  payment_failed: 402,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
};

/**
 * Whether a form shows this error beside what was typed (instead of an error response): a
 * refusal (4xx), or a service the store depends on being down for a moment (picture storage),
 * whose message asks to try again and names nothing internal.
 */
export const isFormRefusal = (err: unknown): err is DomainError => err instanceof DomainError && (STATUS[err.code] < 500 || err.code === 'unavailable');

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

export const errorBody = (code: string, message: string, details?: unknown): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/** Turns schema validation issues into { fields: { "shippingAddress.state": "…" } }. */
export function fieldsFromValidation(err: FastifyError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const v of err.validation ?? []) {
    const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const missing = (v.params as { missingProperty?: string })?.missingProperty;
    const key = [path, missing].filter(Boolean).join('.') || err.validationContext || 'request';
    fields[key] ??= v.message ?? 'is invalid';
  }
  return fields;
}

/** Maps any thrown error to { status, body }. */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody; expose: boolean; headers?: Record<string, string> } {
  if (err instanceof DomainError) {
    const res = { status: STATUS[err.code], body: errorBody(err.code, err.message, err.details), expose: true };
    const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    // A refused request says when to try again (see domain/shared/rate-limit.ts).
    return typeof retryAfter === 'number' ? { ...res, headers: { 'retry-after': String(retryAfter) } } : res;
  }
  const fe = err as FastifyError;
  if (fe?.validation) {
    const fields = fieldsFromValidation(fe);
    const where = fe.validationContext === 'body' ? 'request body' : fe.validationContext;
    return {
      status: fe.validationContext === 'body' ? 422 : 400,
      body: errorBody('validation_failed', `Some fields of the ${where} are invalid: ${Object.keys(fields).join(', ')}.`, { fields }),
      expose: true,
    };
  }
  const status = fe?.statusCode ?? 500;
  if (status === 413) return { status, body: errorBody('payload_too_large', 'The request is too large.'), expose: true };
  if (status === 415) return { status, body: errorBody('unsupported_media_type', 'This content type is not accepted here.'), expose: true };
  if (status === 429) return { status, body: errorBody('rate_limited', fe.message), expose: true };
  if (status >= 400 && status < 500) {
    const code = status === 404 ? 'not_found' : 'bad_request';
    const message = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe instanceof SyntaxError ? 'The request body is not valid JSON.' : fe.message;
    return { status, body: errorBody(code, message), expose: true };
  }
  return { status: 500, body: errorBody('internal', 'Something went wrong on our side. Please try again.'), expose: false };
}
