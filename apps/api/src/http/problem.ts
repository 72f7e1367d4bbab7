import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, type FieldError } from '@taskstream/errors';

/** RFC 9457 problem details, plus our stable `code` and, for validation, the failing fields. */
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
export type Problem = z.infer<typeof ProblemSchema>;

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `https://taskstream.dev/problems/${code.replaceAll('_', '-')}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors?.length ? { errors } : {}),
  };
}

export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply
    .status(p.status)
    .type('application/problem+json')
    .send({ ...p, requestId: String(reply.request.id) });
}

const domainStatus = { not_found: 404, validation: 422, conflict: 409, upstream: 502 } as const;

/** Maps fastify's own client errors (body parsing, limits) to problems that say what is wrong. */
const fastifyCodes: Record<string, [number, string, string?]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'body_required', 'The request has Content-Type application/json but no body; send a JSON object.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send the body as application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'invalid_content_type'],
};

export function toProblem(error: FastifyError, request: FastifyRequest): Problem {
  if (error instanceof HttpProblem) return error.problem;
  if (error instanceof DomainError) return problem(domainStatus[error.kind], error.code, error.message, error.errors);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    if (where === 'body' && request.body == null) {
      return problem(400, 'body_required', 'This request needs a JSON body.');
    }
    const errors = error.validation.map((v) => ({
      path: [where === 'querystring' ? 'query' : where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'is invalid',
    }));
    const detail = `Invalid ${where === 'querystring' ? 'query' : where}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`;
    return problem(400, 'validation_failed', detail, errors);
  }
  const known = error.code ? fastifyCodes[error.code] : undefined;
  if (known) return problem(known[0], known[1], known[2] ?? error.message);
  if (error instanceof SyntaxError) return problem(400, 'invalid_json', `The body is not valid JSON: ${error.message}`);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return problem(status, (error.code ?? 'bad_request').toLowerCase(), error.message);
  return problem(500, 'internal_error', 'Something went wrong on our side; it has been logged. Quote the requestId when reporting it.');
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const p = toProblem(error, request);
    if (p.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: p.code, detail: p.detail, errors: p.errors }, 'request rejected');
    return sendProblem(reply, p);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
