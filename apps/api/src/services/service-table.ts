import type { Role } from '@taskstream/config';
import { apiService } from './api-service.js';
import { auditService } from './audit-service.js';
import type { ServiceRow } from './contribution.js';
import { notificationsService } from './notifications-service.js';
import { realtimeService } from './realtime-service.js';
import { recurrenceService } from './recurrence-service.js';

/**
 * What each role of SERVICES runs. A process takes the rows it is told to (all of them embedded,
 * one per process distributed); the rows never ask which other roles run beside them.
 */
export const SERVICE_TABLE = {
  api: apiService,
  audit: auditService,
  recurrence: recurrenceService,
  notifications: notificationsService,
  realtime: realtimeService,
} satisfies Record<Role, ServiceRow<unknown>>;

type HandleOf<Row> = Row extends ServiceRow<infer H> ? H : never;

/** What the running roles expose, by role. */
export type ServiceHandles = { [R in Role]: HandleOf<(typeof SERVICE_TABLE)[R]> };
