import type { RunningServer } from '@taskstream/api';
import { updateTask } from '@taskstream/tasks';
import type { Client } from './connect-clients.js';
import type { Mode } from './params.js';
import { readJson } from './read-json.js';

/** A change of client c's task, made by the command or over HTTP; resolves to the new version. */
export type Change = (c: Client, title: string) => Promise<number>;

export function changer(mode: Mode, server: RunningServer, baseUrl: string, signal: AbortSignal): Change {
  const ctx = server.process.tasks;
  return async (c, title) => {
    if (mode === 'command') return (await updateTask(ctx, { userId: c.userId, timeZone: 'UTC' }, c.taskId, { title })).version;
    const res = await fetch(`${baseUrl}/api/tasks/${c.taskId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
      signal,
    });
    return (await readJson<{ version: number }>(res, `PATCH /api/tasks/${c.taskId}`)).version;
  };
}
