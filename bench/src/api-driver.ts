import { HttpError } from './stats.js';
import { USER_TIME_ZONE, type TaskSpec } from './workload.js';

export interface Page {
  ids: string[];
  nextCursor: string | null;
}

/** Talks to the API over HTTP with the global fetch (undici, keep-alive connections). */
export class ApiDriver {
  constructor(
    readonly baseUrl: string,
    private readonly signal: AbortSignal,
  ) {}

  /** Signs a user up and returns its bearer token; waits out sign-up rate limiting (429). */
  async signUp(email: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${this.baseUrl}/api/auth/sign-up/email`, {
        method: 'POST',
        // Better Auth rejects cookie-less auth POSTs without an Origin it trusts (CSRF check).
        headers: { 'content-type': 'application/json', origin: this.baseUrl },
        body: JSON.stringify({ email, password: 'benchmark-password-1', name: email.split('@')[0], timeZone: USER_TIME_ZONE }),
        signal: this.signal,
      });
      const text = await res.text();
      if (res.status === 429 && attempt < 5) {
        const wait = Number(res.headers.get('retry-after') ?? '5');
        await new Promise((r) => setTimeout(r, Math.min(60, Number.isFinite(wait) ? wait : 5) * 1000));
        continue;
      }
      const token = res.headers.get('set-auth-token');
      if (res.status !== 200 || !token) throw new HttpError(res.status, `sign-up ${email}: ${res.status} ${text.slice(0, 300)}`);
      return token;
    }
  }

  async createTask(token: string, spec: TaskSpec): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        title: spec.title,
        description: spec.description,
        priority: spec.priority,
        tags: spec.tags,
        dueAt: spec.dueAt,
        reminders: [{ offsetMinutes: spec.reminderOffsetMinutes }],
      }),
      signal: this.signal,
    });
    const text = await res.text();
    if (res.status !== 201) throw new HttpError(res.status, `POST /api/tasks: ${res.status} ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as { id?: unknown; tags?: unknown; reminders?: unknown };
    if (typeof body.id !== 'string' || !Array.isArray(body.tags) || body.tags.length !== spec.tags.length || !Array.isArray(body.reminders) || body.reminders.length !== 1) {
      throw new HttpError(res.status, `POST /api/tasks: unexpected body ${text.slice(0, 300)}`);
    }
    return body.id;
  }

  async listPage(token: string, limit: number, cursor: string | null): Promise<Page> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    const res = await fetch(`${this.baseUrl}/api/tasks?${query.toString()}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: this.signal,
    });
    const text = await res.text();
    if (res.status !== 200) throw new HttpError(res.status, `GET /api/tasks: ${res.status} ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as { items?: { id: string }[]; nextCursor?: string | null };
    if (!Array.isArray(body.items)) throw new HttpError(res.status, `GET /api/tasks: unexpected body ${text.slice(0, 300)}`);
    return { ids: body.items.map((t) => t.id), nextCursor: body.nextCursor ?? null };
  }
}
