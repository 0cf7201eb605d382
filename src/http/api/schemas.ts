// Shared response schemas for the JSON API (they also feed the OpenAPI document).
import { z } from 'zod';

export const moneySchema = z.object({ amount: z.number().int().describe('Minor units (cents)'), currency: z.string() });

export const errorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .describe('Every error has this shape');

/** The error responses most routes can give. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, errorSchema]));

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(24),
};

/**
 * Route option for a hot read whose answer is built field by field from typed rows (the
 * tracking lookup): checking each answer against its zod schema again only costs time. The
 * schema still documents the route in the OpenAPI document; errors keep their own shape.
 */
export const serializeTyped = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) };
