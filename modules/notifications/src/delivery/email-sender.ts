import nodemailer from 'nodemailer';
import { UndeliverableError, type EmailPayload } from './payloads.js';

export interface EmailSender {
  send(message: EmailPayload): Promise<void>;
  close(): void;
}

/**
 * nodemailer by default waits 2 min to connect and 10 min on a silent socket; a send must end well
 * inside the delivery lease (60 s), or another worker claims the row and mails it twice.
 */
const SEND_DEADLINE_MS = 30_000;

/** Sends over SMTP (nodemailer); `url` like smtp://user:pass@host:587 or smtps://host:465. */
export function smtpEmailSender(options: { url: string; from: string }): EmailSender {
  const transport = nodemailer.createTransport(options.url);
  return {
    async send(message) {
      try {
        await transport.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text, signal: AbortSignal.timeout(SEND_DEADLINE_MS) });
      } catch (err) {
        // 5xx replies are permanent (unknown mailbox, rejected); 4xx and network errors are retried.
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500) throw new UndeliverableError(`SMTP ${code}: ${(err as Error).message}`);
        throw err;
      }
    },
    close: () => transport.close(),
  };
}
