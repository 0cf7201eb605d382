// One error type for the whole domain. `code` is for programs, `message` for people;
// the HTTP layer maps codes to status codes in one place (http/errors.ts).
export type ErrorCode =
  | 'not_found'
  | 'validation_failed'
  | 'bad_request'
  | 'conflict'
  | 'invalid_transition'
  | 'out_of_stock'
  | 'payment_declined'
  | 'payment_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'idempotency_conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  /** A feature that needs configuration the operator has not given (e.g. a webhook secret). */
  | 'unavailable';

export type FieldErrors = Record<string, string>;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} was not found.`);

export const validationFailed = (fields: FieldErrors, message = 'Some fields need attention.') =>
  new DomainError('validation_failed', message, { fields });
