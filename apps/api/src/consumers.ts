import type { Logger } from 'pino';
import { typedHandler, type EventBus } from '@taskstream/bus';
import { recordTaskHistoryHandler } from '@taskstream/audit';
import { TOPICS } from '@taskstream/events';
import { createNextOccurrenceHandler, type OccurrencePort } from '@taskstream/recurrence';
import { createNextOccurrence, type TasksContext } from '@taskstream/tasks';
import { subscribeRealtime, type Realtime } from './realtime-wiring.js';

/** Embedded mode: the recurrence service reaches the tasks module by a direct call. */
export function directOccurrencePort(ctx: TasksContext): OccurrencePort {
  return {
    async createNext(request) {
      const actor = { userId: request.userId, timeZone: 'UTC' };
      const { created } = await createNextOccurrence(ctx, actor, {
        seriesId: request.seriesId,
        occurrenceIndex: request.occurrenceIndex,
        dueAt: request.dueAt,
        template: request.template,
      });
      return created ? 'created' : 'exists';
    },
  };
}

/** Subscribes the consumer services that run inside this process (all of them when embedded). */
export function registerConsumers(bus: EventBus, deps: { ctx: TasksContext; logger: Logger; realtime?: Realtime }): void {
  const recurrence = createNextOccurrenceHandler({ occurrences: directOccurrencePort(deps.ctx), logger: deps.logger.child({ consumer: 'recurrence' }) });
  bus.subscribe({ consumer: 'recurrence', topic: TOPICS.taskEvents, handler: typedHandler(['task.completed'], recurrence) });
  bus.subscribe({
    consumer: 'audit',
    topic: TOPICS.taskEvents,
    handler: typedHandler(['task.created', 'task.updated', 'task.completed', 'task.reopened', 'task.deleted'], recordTaskHistoryHandler(deps.ctx.db)),
  });
  if (deps.realtime) subscribeRealtime(bus, deps.realtime);
}
