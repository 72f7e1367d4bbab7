/** Kafka topics (Dapr pub/sub topics). Partition key is always the user id. */
export const TOPICS = {
  taskEvents: 'task-events',
  taskUpdates: 'task-updates',
  reminders: 'reminders',
  notifications: 'notifications',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Where events go that a consumer could not handle after its retries, or could not parse. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;
