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
 * Route option for the hottest reads (the admin queue, tracking): their answers are built
 * field by field from typed rows, so checking each one against its zod schema again only
 * costs time (more than the query itself for a queue page of 50 orders). The schema still
 * documents the route in the OpenAPI document; errors keep their own shape.
 */
export const serializeTyped = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) };
