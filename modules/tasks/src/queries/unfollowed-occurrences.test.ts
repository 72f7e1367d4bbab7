import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, series, tasks } from '@taskstream/db';
import { createTask } from '../commands/create-task.js';
import { completeTask } from '../commands/set-task-status.js';
import { CreateTaskInput } from '../task-schemas.js';
import { createTasksFixture, type TasksFixture } from '../testing/tasks-fixture.js';
import { unfollowedOccurrences } from './unfollowed-occurrences.js';

// The query compares completions with the database's clock, so the fixture's clock is the real one.
let f: TasksFixture;
beforeAll(async () => {
  f = await createTasksFixture(new Date().toISOString());
});
afterAll(() => f.close());

describe('unfollowedOccurrences', () => {
  it('ended series are not sweep candidates', async () => {
    const ada = await f.newUser();
    // 600 series that ended by their rule (COUNT=1), their one task completed a day ago: more than
    // a sweep takes, and all older than the one real miss.
    const dayAgo = new Date(f.clock.now.getTime() - 86_400_000);
    const ended = Array.from({ length: 600 }, () => newId());
    await f.database.db.insert(series).values(
      ended.map((id) => ({ id, userId: ada.userId, kind: 'rrule' as const, rule: 'FREQ=DAILY', count: 1, timeZone: 'UTC', anchorAt: dayAgo, state: 'ended' as const, followedUpTo: 0 })),
    );
    await f.database.db.insert(tasks).values(
      ended.map((seriesId) => ({ id: newId(), userId: ada.userId, title: 'Once', timeZone: 'UTC', dueAt: dayAgo, seriesId, occurrenceIndex: 0, status: 'completed' as const, completedAt: dayAgo })),
    );
    const missed = await createTask(f.ctx, ada, CreateTaskInput.parse({ title: 'Weekly', dueAt: '2026-12-01T09:00:00Z', recurrence: { rule: 'FREQ=WEEKLY' } }));
    await completeTask(f.ctx, ada, missed.id);

    const found = await unfollowedOccurrences(f.ctx, { graceSeconds: 0, limit: 500 });
    expect(found.map((c) => c.task.id)).toEqual([missed.id]);
  });
});
