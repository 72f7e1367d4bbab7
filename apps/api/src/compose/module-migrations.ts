import { auditMigrations } from '@taskstream/audit';
import { chatMigrations } from '@taskstream/chat';
import type { MigrationSet } from '@taskstream/db';
import { notificationMigrations } from '@taskstream/notifications';

/** Migrations owned by service modules, applied after the shared ones. */
export const MODULE_MIGRATIONS: MigrationSet[] = [auditMigrations, notificationMigrations, chatMigrations];
