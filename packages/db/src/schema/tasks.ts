import { type SQL, sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { PRIORITIES } from '@taskstream/events/priorities';
import { user } from './auth.js';
import { timestamptz } from './columns.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Declaration order is the sort order: ORDER BY priority sorts low < medium < high < urgent. */
export const taskPriority = pgEnum('task_priority', PRIORITIES);
export const taskStatus = pgEnum('task_status', ['open', 'in_progress', 'completed']);
export const ruleKind = pgEnum('recurrence_rule_kind', ['rrule', 'cron']);
export const repeatFrom = pgEnum('recurrence_repeat_from', ['due', 'completion']);
/** 'ended': by its rule (COUNT, UNTIL) or by its owner (the latest task deleted or taken out of it); nothing follows any more. */
export const seriesState = pgEnum('series_state', ['live', 'ended']);

export const userPreferences = pgTable('user_preferences', {
  userId: text('user_id')
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  notifyInApp: boolean('notify_in_app').notNull().default(true),
  notifyEmail: boolean('notify_email').notNull().default(false),
  notifyPush: boolean('notify_push').notNull().default(false),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/** A recurring series: the rule and where it started; each occurrence is a task row. */
export const series = pgTable(
  'series',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    kind: ruleKind('kind').notNull(),
    rule: text('rule').notNull(),
    repeatFrom: repeatFrom('repeat_from').notNull().default('due'),
    count: integer('count'),
    until: timestamptz('until'),
    timeZone: text('time_zone').notNull(),
    anchorAt: timestamptz('anchor_at').notNull(),
    state: seriesState('state').notNull().default('live'),
    /**
     * Highest occurrence index whose successor has been decided (created; what the user then did to
     * it stands): the recurrence sweep looks only at completed occurrences past it.
     */
    followedUpTo: integer('followed_up_to'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('series_user_id_idx').on(t.userId),
    // The recurrence sweep starts from live series.
    index('series_live_idx').on(t.id, t.followedUpTo).where(sql`${t.state} = 'live'`),
  ],
);

export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: taskStatus('status').notNull().default('open'),
    priority: taskPriority('priority').notNull().default('medium'),
    dueAt: timestamptz('due_at'),
    timeZone: text('time_zone').notNull(),
    seriesId: uuid('series_id').references(() => series.id, { onDelete: 'set null' }),
    occurrenceIndex: integer('occurrence_index'),
    completedAt: timestamptz('completed_at'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    // Title outweighs description; the 'simple' config keeps words the English stemmer would
    // mangle (names, codes), the 'english' one matches inflections.
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        (): SQL => sql`setweight(to_tsvector('english', ${tasks.title}), 'A') || setweight(to_tsvector('simple', ${tasks.title}), 'A') || setweight(to_tsvector('english', ${tasks.description}), 'B') || setweight(to_tsvector('simple', ${tasks.description}), 'B')`,
      ),
  },
  (t) => [
    index('tasks_user_due_idx').on(t.userId, t.dueAt, t.id),
    index('tasks_user_created_idx').on(t.userId, t.createdAt, t.id),
    index('tasks_user_updated_idx').on(t.userId, t.updatedAt, t.id),
    index('tasks_user_priority_idx').on(t.userId, t.priority, t.id),
    index('tasks_search_idx').using('gin', t.search),
    // One task per occurrence: the recurrence consumer relies on this to create the next one once.
    uniqueIndex('tasks_series_occurrence_idx').on(t.seriesId, t.occurrenceIndex),
  ],
);

export const tags = pgTable(
  'tags',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    color: text('color').notNull().default('#6b7280'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tags_user_name_idx').on(t.userId, sql`lower(${t.name})`),
    check('tags_color_hex', sql`${t.color} ~ '^#[0-9a-f]{6}$'`),
  ],
);

export const taskTags = pgTable(
  'task_tags',
  {
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    tagId: uuid('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.tagId] }), index('task_tags_tag_idx').on(t.tagId)],
);

/** A reminder is absolute (remind_at) or relative to the due time (offset_minutes before it). */
export const reminders = pgTable(
  'reminders',
  {
    id: uuid('id').primaryKey(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    remindAt: timestamptz('remind_at'),
    offsetMinutes: integer('offset_minutes'),
    /** The instant it fires: remind_at, or due_at minus the offset; null while a relative one has no due date. */
    firesAt: timestamptz('fires_at'),
    firedAt: timestamptz('fired_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('reminders_task_idx').on(t.taskId),
    index('reminders_pending_idx').on(t.firesAt).where(sql`${t.firedAt} is null`),
    check('reminders_one_kind', sql`(${t.remindAt} is null) <> (${t.offsetMinutes} is null)`),
  ],
);
