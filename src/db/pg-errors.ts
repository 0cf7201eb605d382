// Recognising PostgreSQL's errors by SQLSTATE, however the driver wraps them (Drizzle puts the
// driver's error in `cause`; pg and PGlite both carry `code` and `constraint`).

/** The unique violation (23505) inside `err`, with the constraint it broke; undefined for any other error. */
export function uniqueViolation(err: unknown): { constraint?: string } | undefined {
  for (let e = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (code === '23505') return { constraint: typeof constraint === 'string' ? constraint : undefined };
  }
  return undefined;
}
