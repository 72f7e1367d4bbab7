import { describe, expect, it } from 'vitest';
import { deadLetterTopic, TOPICS } from './topics.js';

describe('topics', () => {
  it('are the documented Kafka topic names', () => {
    expect(TOPICS).toEqual({ taskEvents: 'task-events', taskUpdates: 'task-updates', reminders: 'reminders', notifications: 'notifications' });
  });

  it('give each topic its own dead-letter topic', () => {
    expect(deadLetterTopic('task-events')).toBe('task-events.dlq');
    const dlqs = Object.values(TOPICS).map(deadLetterTopic);
    expect(new Set(dlqs).size).toBe(dlqs.length);
    expect(dlqs.some((t) => (Object.values(TOPICS) as string[]).includes(t))).toBe(false);
  });
});
