import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

let t: TestApp;
let ada: TestUser;

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2026-11-25T12:00:00Z') });
  ada = await t.signUp({ timeZone: 'Europe/Berlin' });
});
afterAll(() => t.close());

const preview = (query: string) =>
  t.app.inject({ method: 'GET', url: `/api/recurrence/preview?${query}`, headers: ada.headers });

describe('GET /api/recurrence/preview', () => {
  it('keeps 09:00 local across the spring daylight-saving change in the user\'s zone', async () => {
    const res = await preview('rule=daily&start=2026-03-27T09:00&count=4');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      kind: 'rrule',
      rule: 'FREQ=DAILY',
      zone: 'Europe/Berlin',
      occurrences: ['2026-03-27T08:00:00.000Z', '2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z'],
      description: expect.stringMatching(/^every day at 09:00/),
    });
  });

  it('describes an RRULE in a sentence and honours RFC semantics', async () => {
    const biweekly = (await preview(`rule=${encodeURIComponent('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR')}&start=2026-12-04T09:00&count=3`)).json();
    expect(biweekly.description).toBe('every 2 weeks on Monday and Friday at 09:00');
    expect(biweekly.occurrences).toEqual(['2026-12-04T08:00:00.000Z', '2026-12-14T08:00:00.000Z', '2026-12-18T08:00:00.000Z']);
    const monthEnd = (await preview(`rule=${encodeURIComponent('FREQ=MONTHLY;BYMONTHDAY=31')}&start=2027-01-31T10:00&count=3&zone=UTC`)).json();
    expect(monthEnd.occurrences).toEqual(['2027-01-31T10:00:00.000Z', '2027-03-31T10:00:00.000Z', '2027-05-31T10:00:00.000Z']);
  });

  it('accepts cron in the given zone and ends a series after a count', async () => {
    const cron = (await preview(`rule=${encodeURIComponent('30 8 * * 1-5')}&zone=America/New_York&start=2026-11-27T00:00&count=2`)).json();
    expect(cron).toMatchObject({ kind: 'cron', zone: 'America/New_York', occurrences: ['2026-11-27T13:30:00.000Z', '2026-11-30T13:30:00.000Z'] });
    const limited = (await preview('rule=weekly&start=2026-12-01T09:00&count=10&ruleCount=3')).json();
    expect(limited.occurrences).toHaveLength(3);
  });

  it('starts from now when no start is given', async () => {
    const res = (await preview('rule=daily&count=1')).json();
    expect(new Date(res.occurrences[0]).getTime()).toBeGreaterThanOrEqual(new Date('2026-11-25T12:00:00Z').getTime());
  });

  it('explains what is wrong with a rule, a zone or the parameters', async () => {
    const bad = await preview('rule=FREQ%3DSOMETIMES');
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'invalid_recurrence', errors: [{ path: 'query.rule' }] });
    expect((await preview('rule=daily&zone=Mars/Olympus')).json()).toMatchObject({ status: 422, errors: [{ path: 'query.zone' }] });
    expect((await preview('rule=daily&start=soon')).json()).toMatchObject({ status: 400, errors: [{ path: 'query.start' }] });
    expect((await preview('rule=daily&count=1000')).statusCode).toBe(400);
    expect((await preview('count=3')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/recurrence/preview?rule=daily' })).statusCode).toBe(401);
  });
});
