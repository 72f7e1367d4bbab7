import { z } from 'zod';

export const EmailPayload = z.object({ to: z.string(), subject: z.string(), text: z.string() });
export type EmailPayload = z.infer<typeof EmailPayload>;

export const PushPayload = z.object({ title: z.string(), body: z.string(), url: z.string(), tag: z.string() });
export type PushPayload = z.infer<typeof PushPayload>;

/** A message the channel can never deliver (bad address, gone endpoint): not retried. */
export class UndeliverableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndeliverableError';
  }
}
