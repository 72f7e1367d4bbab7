import { z } from 'zod';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .describe('RFC 9457 problem details');

/** Documented error responses; the error handler produces them, so they bypass serialization. */
export const problemResponses = {
  '4xx': ProblemSchema,
} as const;
