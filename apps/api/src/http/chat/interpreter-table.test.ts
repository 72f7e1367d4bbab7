import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '@taskstream/db';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app.js';

/*
 * The deterministic chat interpreter over a table of utterances: each row is sent to
 * POST /api/chat (real API, real PGlite) against the same seeded tasks, and the tool
 * calls it made are compared. "@Title" stands for the id of the user's task so titled.
 */

// Friday 2026-03-06, 16:00 in Berlin (the user's zone).
const NOW = new Date('2026-03-06T15:00:00Z');
const OPEN = ['open', 'in_progress'];
const TODAY = { dueAfter: '2026-03-05T23:00:00.000Z', dueBefore: '2026-03-06T23:00:00.000Z' };
const TOMORROW = { dueAfter: '2026-03-06T23:00:00.000Z', dueBefore: '2026-03-07T23:00:00.000Z' };
const THIS_WEEK = { dueAfter: '2026-03-05T23:00:00.000Z', dueBefore: '2026-03-08T23:00:00.000Z' };
const NEXT_WEEK = { dueAfter: '2026-03-08T23:00:00.000Z', dueBefore: '2026-03-15T23:00:00.000Z' };
const WEEKDAYS = 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR';

type Call = [string, Record<string, unknown>];
interface Row {
  say: string;
  calls: Call[];
  reply?: RegExp;
  /** Earlier messages in the same conversation. */
  after?: string[];
}

const SEED = [
  { title: 'Write report', dueAt: '2026-03-06T17:00', priority: 'high', tags: ['work'] },
  { title: 'Report expenses', dueAt: '2026-03-10T09:00', tags: ['work'] },
  { title: 'Buy milk', dueAt: '2026-03-07T10:00', tags: ['home'] },
  { title: 'Call mom', priority: 'low', tags: ['family'] },
  { title: 'Dentist appointment', dueAt: '2026-03-20T15:00', tags: ['health'] },
  { title: 'Pay rent', dueAt: '2026-04-01T09:00', priority: 'urgent', tags: ['home'], recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=1' }, reminders: [{ offsetMinutes: 60 }] },
  { title: 'Old taxes', tags: ['admin'], status: 'completed' },
  { title: 'Gym', dueAt: '2026-03-09T07:00' },
];

const list = (args: Record<string, unknown>): Call => ['list_tasks', { ...args, limit: 20 }];
const add = (args: Record<string, unknown>): Call => ['add_task', args];

const ROWS: Row[] = [
  // Adding, with the quick-add parser.
  { say: 'add buy eggs', calls: [add({ title: 'Buy eggs' })], reply: /^Added "Buy eggs"\.$/ },
  { say: 'add a task to buy eggs tomorrow', calls: [add({ title: 'Buy eggs', dueAt: '2026-03-07T08:00:00.000Z' })] },
  { say: 'create task: call the plumber at 5pm', calls: [add({ title: 'Call the plumber', dueAt: '2026-03-06T16:00:00.000Z' })] },
  {
    say: 'new task pay rent every month on the 1st 9am #home !high',
    calls: [add({ title: 'Pay rent', dueAt: '2026-04-01T07:00:00.000Z', priority: 'high', tags: ['home'], recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=1', repeatFrom: 'due' } })],
    reply: /Added "Pay rent" \(due Wed, Apr 1, 09:00; repeats every month on the 1st.*high priority; #home\)/,
  },
  { say: 'add submit invoice next friday p1', calls: [add({ title: 'Submit invoice', dueAt: '2026-03-13T08:00:00.000Z', priority: 'urgent' })] },
  { say: 'add water plants every 3 days', calls: [add({ title: 'Water plants', dueAt: '2026-03-07T08:00:00.000Z', recurrence: { rule: 'FREQ=DAILY;INTERVAL=3', repeatFrom: 'due' } })] },
  { say: 'add standup every weekday at 9:30 #work', calls: [add({ title: 'Standup', dueAt: '2026-03-09T08:30:00.000Z', tags: ['work'], recurrence: { rule: WEEKDAYS, repeatFrom: 'due' } })] },
  {
    say: 'add team sync every 2 weeks on monday at 10am remind me 15 min before',
    calls: [add({ title: 'Team sync', dueAt: '2026-03-09T09:00:00.000Z', reminders: [{ offsetMinutes: 15 }], recurrence: { rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', repeatFrom: 'due' } })],
  },
  { say: 'add email Sam in 2 hours', calls: [add({ title: 'Email Sam', dueAt: '2026-03-06T17:00:00.000Z' })] },
  { say: 'todo: renew passport dec 3', calls: [add({ title: 'Renew passport', dueAt: '2026-12-03T08:00:00.000Z' })] },
  { say: 'I need to book flights by next friday', calls: [add({ title: 'Book flights', dueAt: '2026-03-13T08:00:00.000Z' })] },
  { say: 'remind me to call grandma tomorrow at 6pm', calls: [add({ title: 'Call grandma', dueAt: '2026-03-07T17:00:00.000Z', reminders: [{ offsetMinutes: 0 }] })], reply: /remind you when it is due/ },
  { say: 'remind me to stretch', calls: [add({ title: 'Stretch' })], reply: /no reminder/ },
  { say: 'please add clean garage this weekend #home', calls: [add({ title: 'Clean garage', dueAt: '2026-03-07T08:00:00.000Z', tags: ['home'] })] },
  { say: 'add read book !low', calls: [add({ title: 'Read book', priority: 'low' })] },
  { say: 'add prepare slides high priority #work', calls: [add({ title: 'Prepare slides', priority: 'high', tags: ['work'] })] },
  { say: "don't forget to water the garden tonight", calls: [add({ title: 'Water the garden', dueAt: '2026-03-06T21:00:00.000Z' })] },
  { say: 'add fix the bike on saturday', calls: [add({ title: 'Fix the bike', dueAt: '2026-03-07T08:00:00.000Z' })] },
  { say: 'Could you add call the bank tomorrow morning, please?', calls: [add({ title: 'Call the bank', dueAt: '2026-03-07T05:00:00.000Z' })] },
  { say: 'add tomorrow', calls: [], reply: /What should the task be called/ },

  // Listing, searching, what is due.
  { say: 'list my tasks', calls: [list({ status: OPEN })], reply: /^7 tasks:\n1\. "Write report"/ },
  { say: 'show me all tasks', calls: [list({})] },
  { say: 'show completed tasks', calls: [list({ status: ['completed'] })], reply: /"Old taxes"/ },
  { say: "what's due today?", calls: [list({ status: OPEN, ...TODAY, sort: 'dueAt', order: 'asc' })], reply: /^1 task due today:\n1\. "Write report"/ },
  { say: 'what is due this week', calls: [list({ status: OPEN, ...THIS_WEEK, sort: 'dueAt', order: 'asc' })], reply: /^2 tasks due this week:/ },
  { say: 'whats due tomorrow', calls: [list({ status: OPEN, ...TOMORROW, sort: 'dueAt', order: 'asc' })], reply: /"Buy milk"/ },
  { say: 'anything due next week?', calls: [list({ status: OPEN, ...NEXT_WEEK, sort: 'dueAt', order: 'asc' })] },
  { say: "what's due", calls: [list({ status: OPEN, sort: 'dueAt', order: 'asc' })] },
  { say: "what's overdue", calls: [list({ status: OPEN, overdue: true })] },
  { say: 'show overdue tasks', calls: [list({ status: OPEN, overdue: true })], reply: /You have no overdue tasks/ },
  { say: 'show my high priority tasks', calls: [list({ status: OPEN, priority: ['high'] })] },
  { say: 'list urgent tasks', calls: [list({ status: OPEN, priority: ['urgent'] })], reply: /"Pay rent"/ },
  { say: 'show important tasks', calls: [list({ status: OPEN, priority: ['high', 'urgent'] })] },
  { say: 'show tasks tagged work', calls: [list({ status: OPEN, tag: 'work' })], reply: /^2 tasks tagged #work:/ },
  { say: 'list #home tasks', calls: [list({ status: OPEN, tag: 'home' })] },
  { say: 'show tasks sorted by priority', calls: [list({ status: OPEN, sort: 'priority', order: 'desc' })] },
  { say: 'list tasks due this week by priority', calls: [list({ status: OPEN, ...THIS_WEEK, sort: 'priority', order: 'desc' })] },
  { say: 'find dentist', calls: [list({ search: 'dentist' })], reply: /"Dentist appointment"/ },
  { say: 'search for report', calls: [list({ search: 'report' })] },
  { say: 'look for tasks about milk', calls: [list({ search: 'milk' })] },
  { say: 'show me the dentist appointment', calls: [list({ search: 'dentist appointment' })] },
  { say: 'what do I have to do today', calls: [list({ status: OPEN, ...TODAY })] },
  { say: 'show tasks about taxes', calls: [list({ status: OPEN, search: 'taxes' })] },
  { say: 'list my tags', calls: [['list_tags', {}]], reply: /#home/ },
  { say: 'what tags do I have', calls: [['list_tags', {}]] },
  { say: 'my tasks', calls: [list({ status: OPEN })] },

  // Completing, with clarifying questions.
  { say: 'complete buy milk', calls: [['complete_task', { id: '@Buy milk' }]], reply: /^Completed "Buy milk"\.$/ },
  { say: 'mark call mom as done', calls: [['complete_task', { id: '@Call mom' }]] },
  { say: 'I finished the gym', calls: [['complete_task', { id: '@Gym' }]] },
  { say: 'done with the dentist appointment', calls: [['complete_task', { id: '@Dentist appointment' }]] },
  { say: 'buy milk is done', calls: [['complete_task', { id: '@Buy milk' }]] },
  { say: 'check off gym', calls: [['complete_task', { id: '@Gym' }]] },
  { say: 'finish write report', calls: [['complete_task', { id: '@Write report' }]] },
  { say: 'complete the report', calls: [], reply: /2 tasks match; which one should I complete\?\n1\. "Write report".*\n2\. "Report expenses"/ },
  { after: ['complete the report'], say: '2', calls: [['complete_task', { id: '@Report expenses' }]] },
  { after: ['complete the report'], say: 'the first one', calls: [['complete_task', { id: '@Write report' }]] },
  { after: ['complete the report'], say: 'the expenses one', calls: [], reply: /pick a number/ },
  { after: ['complete the report'], say: 'expenses', calls: [['complete_task', { id: '@Report expenses' }]] },
  { after: ['complete the report'], say: 'both', calls: [['complete_task', { id: '@Write report' }], ['complete_task', { id: '@Report expenses' }]] },
  { after: ['complete the report'], say: 'cancel', calls: [], reply: /left everything as it was/ },
  { after: ['delete the report'], say: '1', calls: [['delete_task', { id: '@Write report' }]] },
  { say: 'complete old taxes', calls: [['complete_task', { id: '@Old taxes' }]], reply: /already completed/ },
  { say: 'complete xyzzy', calls: [], reply: /couldn't find a task matching "xyzzy"/ },

  // Reopening and deleting.
  { say: 'reopen old taxes', calls: [['reopen_task', { id: '@Old taxes' }]], reply: /^Reopened "Old taxes"\.$/ },
  { say: 'mark old taxes as not done', calls: [['reopen_task', { id: '@Old taxes' }]] },
  { say: "old taxes isn't done yet", calls: [['reopen_task', { id: '@Old taxes' }]] },
  { say: 'delete buy milk', calls: [['delete_task', { id: '@Buy milk' }]], reply: /^Deleted "Buy milk"\.$/ },
  { say: 'remove the gym task', calls: [['delete_task', { id: '@Gym' }]] },
  { say: 'get rid of call mom', calls: [['delete_task', { id: '@Call mom' }]] },
  { say: 'cancel the dentist appointment', calls: [['delete_task', { id: '@Dentist appointment' }]] },

  // Rescheduling.
  { say: 'move buy milk to monday 5pm', calls: [['update_task', { id: '@Buy milk', dueAt: '2026-03-09T16:00:00.000Z' }]], reply: /^Moved "Buy milk" to Mon, Mar 9, 17:00\.$/ },
  { say: 'move buy milk to friday 5pm', calls: [['update_task', { id: '@Buy milk', dueAt: '2026-03-06T16:00:00.000Z' }]] },
  { say: 'reschedule the dentist appointment to march 25 at 3pm', calls: [['update_task', { id: '@Dentist appointment', dueAt: '2026-03-25T14:00:00.000Z' }]] },
  { say: 'postpone gym until tomorrow', calls: [['update_task', { id: '@Gym', dueAt: '2026-03-07T08:00:00.000Z' }]] },
  { say: 'push buy milk by 2 days', calls: [['update_task', { id: '@Buy milk', dueAt: '2026-03-09T09:00:00.000Z' }]] },
  { say: 'postpone gym by an hour', calls: [['update_task', { id: '@Gym', dueAt: '2026-03-09T07:00:00.000Z' }]] },
  { say: 'change the due date of call mom to next monday', calls: [['update_task', { id: '@Call mom', dueAt: '2026-03-09T08:00:00.000Z' }]] },
  { say: 'buy milk is due tomorrow at 8am', calls: [['update_task', { id: '@Buy milk', dueAt: '2026-03-07T07:00:00.000Z' }]] },
  { say: 'move buy milk to someday', calls: [], reply: /When should "Buy milk" be due/ },
  { say: 'postpone call mom by 1 day', calls: [], reply: /no due date/ },

  // Renaming, priority, tags.
  { say: 'rename buy milk to buy oat milk', calls: [['update_task', { id: '@Buy milk', title: 'buy oat milk' }]], reply: /^Renamed "Buy milk" to "buy oat milk"\.$/ },
  { say: 'change the title of gym to Gym session', calls: [['update_task', { id: '@Gym', title: 'Gym session' }]] },
  { say: 'make call mom urgent', calls: [['update_task', { id: '@Call mom', priority: 'urgent' }]], reply: /urgent priority/ },
  { say: 'set the priority of gym to low', calls: [['update_task', { id: '@Gym', priority: 'low' }]] },
  { say: 'mark buy milk as high priority', calls: [['update_task', { id: '@Buy milk', priority: 'high' }]] },
  { say: 'prioritize the dentist appointment', calls: [['update_task', { id: '@Dentist appointment', priority: 'high' }]] },
  { say: 'tag call mom with urgent-stuff', calls: [['update_task', { id: '@Call mom', tags: ['family', 'urgent-stuff'] }]] },

  // Reminders and recurrence.
  { say: 'remind me about the dentist appointment 1 hour before', calls: [['set_reminder', { id: '@Dentist appointment', reminders: [{ offsetMinutes: 60 }] }]], reply: /60 min before/ },
  { say: 'remind me 30 minutes before gym', calls: [['set_reminder', { id: '@Gym', reminders: [{ offsetMinutes: 30 }] }]] },
  { say: 'set a reminder for buy milk at 9am', calls: [['set_reminder', { id: '@Buy milk', reminders: [{ remindAt: '2026-03-07T08:00:00.000Z' }] }]] },
  { say: 'remove the reminders from pay rent', calls: [['set_reminder', { id: '@Pay rent', reminders: [], replace: true }]] },
  { say: 'make gym repeat every monday', calls: [['set_recurrence', { id: '@Gym', recurrence: { rule: 'FREQ=WEEKLY;BYDAY=MO', repeatFrom: 'due' } }]], reply: /now repeats/ },
  {
    say: 'make call mom repeat every sunday',
    calls: [['update_task', { id: '@Call mom', dueAt: '2026-03-08T08:00:00.000Z' }], ['set_recurrence', { id: '@Call mom', recurrence: { rule: 'FREQ=WEEKLY;BYDAY=SU', repeatFrom: 'due' } }]],
  },
  { say: 'stop repeating pay rent', calls: [['set_recurrence', { id: '@Pay rent', recurrence: null }]], reply: /no longer repeats/ },
  { say: 'buy milk should repeat every week', calls: [['set_recurrence', { id: '@Buy milk', recurrence: { rule: 'FREQ=WEEKLY', repeatFrom: 'due' } }]] },
  { say: 'show history of buy milk', calls: [['get_task_history', { id: '@Buy milk' }]] },

  // "it", "the second one", undo.
  { after: ['add buy bread'], say: 'complete it', calls: [['complete_task', { id: '@Buy bread' }]] },
  { after: ['list my tasks'], say: 'delete the second one', calls: [['delete_task', { id: '@Buy milk' }]] },
  { after: ["what's due this week"], say: 'complete number 1', calls: [['complete_task', { id: '@Write report' }]] },
  {
    after: ['delete buy milk'],
    say: 'undo',
    calls: [add({ title: 'Buy milk', priority: 'medium', tags: ['home'], dueAt: '2026-03-07T09:00:00.000Z', timeZone: 'Europe/Berlin', reminders: [] })],
    reply: /^Undid your last change \("Deleted "Buy milk"\."\)\.\nAdded "Buy milk"/,
  },
  { after: ['complete buy milk'], say: 'undo that', calls: [['reopen_task', { id: '@Buy milk' }]], reply: /Reopened "Buy milk"/ },
  { after: ['add buy bread'], say: 'undo', calls: [['delete_task', { id: '@Buy bread' }]] },
  { after: ['move buy milk to friday 5pm'], say: 'undo', calls: [['update_task', { id: '@Buy milk', dueAt: '2026-03-07T09:00:00.000Z' }]] },
  { after: ['make call mom urgent', 'rename gym to gym session'], say: 'undo', calls: [['update_task', { id: '@gym session', title: 'Gym' }]] },
  { after: ['delete buy milk', 'undo'], say: 'undo', calls: [], reply: /nothing to undo/ },
  { say: 'undo', calls: [], reply: /nothing to undo/ },

  // Talk that changes nothing.
  { say: 'hello', calls: [], reply: /I can manage your tasks/ },
  { say: 'help', calls: [], reply: /undo/ },
  { say: 'thanks', calls: [], reply: /welcome/ },
  { say: 'what is the meaning of life', calls: [], reply: /didn't understand/ },
];

let t: TestApp;
let user: TestUser;
let dirty = true;

async function seed(): Promise<void> {
  await t.database.db.delete(tasks).where(eq(tasks.userId, user.id));
  for (const { status, ...task } of SEED) {
    const res = await t.app.inject({ method: 'POST', url: '/api/tasks', headers: user.headers, payload: task });
    if (res.statusCode !== 201) throw new Error(res.body);
    if (status) await t.app.inject({ method: 'POST', url: `/api/tasks/${res.json().id}/complete`, headers: user.headers });
  }
}

async function chat(message: string, conversationId?: string): Promise<any> {
  const res = await t.app.inject({ method: 'POST', url: '/api/chat', headers: user.headers, payload: { message, ...(conversationId && { conversationId }) } });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json();
}

/** "@Title" → that task's id, looked up just before the checked message. */
async function withIds(calls: Call[]): Promise<Call[]> {
  const all = (await t.app.inject({ method: 'GET', url: '/api/tasks?limit=200', headers: user.headers })).json().items as Array<{ id: string; title: string }>;
  const idOf = (title: string) => all.find((x) => x.title.toLowerCase() === title.toLowerCase())?.id ?? `(no task ${title})`;
  return calls.map(([name, args]) => [name, Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('@') ? idOf(v.slice(1)) : v]))]);
}

beforeAll(async () => {
  t = await createTestApp({ now: () => NOW });
  user = await t.signUp({ timeZone: 'Europe/Berlin' });
});
afterAll(() => t?.close());

describe('chat interpreter: utterances → tool calls', () => {
  it('has a table of at least 80 utterances', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(80);
  });

  it.each(ROWS.map((row) => [[...(row.after ?? []), row.say].join(' → '), row] as const))('%s', async (_name, row) => {
    if (dirty) await seed();
    let conversationId: string | undefined;
    for (const message of row.after ?? []) conversationId = (await chat(message, conversationId)).conversationId;
    const expected = await withIds(row.calls);
    const answer = await chat(row.say, conversationId);
    dirty = (row.after?.length ?? 0) > 0 || answer.toolCalls.some((c: any) => c.ok && !['list_tasks', 'list_tags', 'get_task_history'].includes(c.name));
    expect(answer.toolCalls.map((c: any) => [c.name, c.arguments])).toEqual(expected);
    if (row.reply) expect(answer.reply).toMatch(row.reply);
    expect(answer.reply.trim()).not.toBe('');
  });
});
