export { TOPICS, deadLetterTopic, type Topic } from './topics.js';
export { CloudEventEnvelope, isTraceparent, type CloudEvent } from './envelope.js';
export { TaskSnapshot } from './task-snapshot.js';
export { PRIORITIES, type Priority } from './priorities.js';
export { NextOccurrenceRequest, SeriesEndRequest, type NextOccurrenceOutcome, type SeriesEndOutcome } from './next-occurrence-request.js';
export {
  EVENT_CATALOG,
  TASK_LIFECYCLE_TYPES,
  type TaskLifecycleType,
  dataSchemaOf,
  isEventType,
  type EventType,
  type EventData,
  type TaskLifecycleData,
  type TaskChangedData,
  type ReminderDueData,
  type NotificationChangedData,
  NotificationView,
} from './catalog.js';
export { createEvent, topicOf, type EventOptions } from './create-event.js';
export { parseEvent, type AnyEvent, type ParseResult } from './parse-event.js';
