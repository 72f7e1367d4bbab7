import type { Logger } from 'pino';
import { smtpEmailSender } from '@taskstream/notifications';

/** What Better Auth calls to send the link that verifies an address. */
export type SendVerificationMail = (data: { user: { email: string; name: string }; url: string }) => Promise<void>;

/**
 * Verification mail over the same SMTP server as reminders. Sent in the background: a slow or
 * absent mail server must not hold up sign-up, and a failure is logged (the user can ask again at
 * POST /api/auth/send-verification-email).
 */
export function verificationMailer(smtp: { url: string; from: string }, logger: Logger): SendVerificationMail {
  const sender = smtpEmailSender(smtp);
  return async ({ user, url }) => {
    const text = [
      `Hello ${user.name},`,
      '',
      `Open this link to confirm that ${user.email} is your address; Taskstream sends reminder email only to confirmed addresses:`,
      url,
      '',
      'If you did not sign up for Taskstream, ignore this message.',
      '',
    ].join('\n');
    void sender.send({ to: user.email, subject: 'Confirm your email address for Taskstream', text }).catch((err: unknown) => logger.error({ err }, 'verification email not sent'));
  };
}
