import type { FastifyInstance } from 'fastify';

/** What the tests' SMTP server (startMailbox) keeps of each message. */
interface Mailbox {
  messages: { subject?: string | undefined; text?: string | undefined }[];
}

/**
 * Does what the person would: waits for the verification mail to `email` on the test's SMTP
 * server and opens the link in it. Returns the link's answer (a redirect to the app).
 */
export async function followVerificationLink(app: FastifyInstance, mailbox: Mailbox, email: string, timeoutMs = 15_000): Promise<{ statusCode: number; location: string | undefined }> {
  const deadline = Date.now() + timeoutMs;
  let link: URL | undefined;
  while (!link) {
    const mail = mailbox.messages.find((m) => m.subject === 'Confirm your email address for Taskstream' && m.text?.includes(email));
    const found = mail?.text?.match(/https?:\/\/\S+\/api\/auth\/verify-email\?\S+/)?.[0];
    if (found) link = new URL(found);
    else if (Date.now() > deadline) throw new Error(`no verification mail for ${email}`);
    else await new Promise((r) => setTimeout(r, 50));
  }
  const res = await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
  const location = res.headers.location;
  return { statusCode: res.statusCode, location: typeof location === 'string' ? location : undefined };
}
