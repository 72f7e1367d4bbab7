export { auditEntries } from './audit-schema.js';
export { auditMigrations } from './audit-migrations.js';
export { recordTaskHistory, RECORD_TASK_HISTORY, changesOf } from './record-task-history.js';
export { taskHistory, activityFeed, ActivityQuery, AuditEntryView, AuditPage, HistoryQuery } from './audit-queries.js';
