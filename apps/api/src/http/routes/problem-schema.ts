import { ProblemSchema } from '../problem.js';

/** Documented error responses; the error handler produces them, so they bypass serialization. */
export const problemResponses = {
  '4xx': ProblemSchema,
} as const;
