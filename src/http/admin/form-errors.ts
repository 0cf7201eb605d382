// Turns a refused domain action into what a back-office form page shows: field errors next
// to the fields, or one message above the form, with the right status code.
import type { FastifyReply } from 'fastify';
import { isFormRefusal, STATUS } from '../errors.ts';
import type { FormErrors } from './views/form.tsx';

export type Refusal = { status: number; fields: FormErrors; message?: string };

/**
 * The refusal a form can show for `err` (a DomainError a person can act on), or undefined
 * for anything else (rethrow it). Sets Retry-After when the action was rate limited.
 */
export function refusalOf(err: unknown, reply: FastifyReply): Refusal | undefined {
  if (!isFormRefusal(err)) return undefined;
  const details = err.details as { fields?: FormErrors; retryAfterSeconds?: number } | undefined;
  if (details?.retryAfterSeconds) reply.header('retry-after', String(details.retryAfterSeconds));
  if (err.code === 'validation_failed' && details?.fields) return { status: 422, fields: details.fields };
  return { status: STATUS[err.code], fields: {}, message: err.message };
}
