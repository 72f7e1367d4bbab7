import { recordTaskHistory } from '@taskstream/audit';
import type { ServiceRow } from './contribution.js';

/** The audit service: every task change becomes an append-only history entry. */
export const auditService: ServiceRow = async ({ database }) => ({
  subscriptions: [recordTaskHistory(database.db)],
});
