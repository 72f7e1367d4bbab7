import type { Logger } from 'pino';
import type { Role } from '@taskstream/config';
import { typedHandler, type EventBus } from '@taskstream/bus';
import { recordTaskHistoryHandler } from '@taskstream/audit';
import { TASK_LIFECYCLE_TYPES, TOPICS } from '@taskstream/events';
import { createNextOccurrenceHandler, type OccurrencePort } from '@taskstream/recurrence';
import type { NotificationService } from '@taskstream/notifications';
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

export interface ConsumerDeps {
  ctx: TasksContext;
  logger: Logger;
  /** The services this process runs (all of them when embedded). */
  roles: readonly Role[];
  /** How recurrence reaches the API: a direct call in the same process, else service invocation. */
  occurrences: OccurrencePort;
  notifications: NotificationService | undefined;
  /** The real-time service, when this process runs it. */
  realtime?: Realtime | undefined;
}

/** Subscribes the consumer services that run inside this process (all of them when embedded). */
export function registerConsumers(bus: EventBus, deps: ConsumerDeps): void {
  if (deps.roles.includes('recurrence')) {
    const recurrence = createNextOccurrenceHandler({ occurrences: deps.occurrences, logger: deps.logger.child({ consumer: 'recurrence' }) });
    bus.subscribe({ consumer: 'recurrence', topic: TOPICS.taskEvents, handler: typedHandler(['task.completed'], recurrence) });
  }
  if (deps.roles.includes('audit')) {
    bus.subscribe({
      consumer: 'audit',
      topic: TOPICS.taskEvents,
      handler: typedHandler(TASK_LIFECYCLE_TYPES, recordTaskHistoryHandler(deps.ctx.db)),
    });
  }
  deps.notifications?.subscribe(bus);
  if (deps.realtime) subscribeRealtime(bus, deps.realtime);
}
