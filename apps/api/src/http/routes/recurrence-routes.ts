import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { previewRecurrence, RecurrenceRuleError, RecurrenceTooExpensiveError } from '@taskstream/recurrence';
import { canonicalZone } from '@taskstream/time';
import { parseDateTime, TaskError, type TasksContext } from '@taskstream/tasks';
import { actorOf } from '../authenticate.js';
import { HttpProblem, problem } from '../problem.js';
import { problemResponses } from './problem-schema.js';

const PreviewQuery = z.strictObject({
  rule: z.string().trim().min(1, 'must not be empty').max(500).describe('RRULE, preset or 5-field cron'),
  zone: z.string().max(64).optional().describe('IANA zone; defaults to yours'),
  start: z.string().max(40).optional().describe('first occurrence: ISO instant or local time in the zone; defaults to now'),
  count: z.coerce.number().int().min(1).max(100).default(5),
  repeatFrom: z.enum(['due', 'completion']).default('due'),
  until: z.string().max(40).optional(),
  ruleCount: z.coerce.number().int().min(1).max(1000).optional().describe('end the series after this many occurrences'),
});
const Preview = z.object({
  kind: z.enum(['rrule', 'cron']),
  rule: z.string(),
  zone: z.string(),
  occurrences: z.array(z.string()),
  description: z.string(),
});

export const recurrenceRoutes: FastifyPluginAsyncZod<{ ctx: TasksContext }> = async (app, { ctx }) => {
  app.get(
    '/api/recurrence/preview',
    { schema: { tags: ['recurrence'], summary: 'Next occurrences of a rule and a sentence describing it', querystring: PreviewQuery, response: { 200: Preview, ...problemResponses } } },
    async (req) => {
      const q = req.query;
      const zone = canonicalZone(q.zone ?? actorOf(req).timeZone);
      if (!zone) throw new TaskError('validation', 'validation_failed', `${JSON.stringify(q.zone)} is not an IANA time zone`, [{ path: 'query.zone', message: 'is not an IANA time zone' }]);
      const start = q.start ? parseInstant(q.start, zone, 'start') : ctx.now();
      const until = q.until ? parseInstant(q.until, zone, 'until').toISOString() : undefined;
      try {
        const preview = previewRecurrence({
          input: { rule: q.rule, repeatFrom: q.repeatFrom, ...(q.ruleCount !== undefined && { count: q.ruleCount }), ...(until && { until }) },
          zone,
          start,
          count: q.count,
        });
        return { kind: preview.recurrence.kind, rule: preview.recurrence.rule, zone, occurrences: preview.occurrences, description: preview.description };
      } catch (e) {
        if (e instanceof RecurrenceRuleError) throw new HttpProblem(problem(422, 'invalid_recurrence', e.message, [{ path: 'query.rule', message: e.message }]));
        if (e instanceof RecurrenceTooExpensiveError) throw new HttpProblem(problem(422, e.code, e.message, [{ path: 'query.rule', message: e.message }]));
        throw e;
      }
    },
  );
};

/** The same date-time forms a task's dueAt accepts: an instant, or a local time in the zone. */
function parseInstant(value: string, zone: string, name: string): Date {
  const parsed = parseDateTime(value, zone);
  if (parsed) return parsed;
  throw new HttpProblem(problem(400, 'validation_failed', `query.${name} must be an ISO 8601 date-time`, [{ path: `query.${name}`, message: 'must be an ISO 8601 date-time' }]));
}
