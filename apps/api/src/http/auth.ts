import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { bearer, jwt, openAPI } from 'better-auth/plugins';
import type { Config } from '@taskstream/config';
import { account, jwks, rateLimit, session, user, userPreferences, verification, type Db } from '@taskstream/db';
import { canonicalZone } from '@taskstream/time';
import { signInAccountLimit } from './sign-in-account-limit.js';
import type { SendVerificationMail } from './verification-mail.js';

/**
 * The forwarder writes request.ip here (the socket's address, or with TRUST_PROXY the client's as
 * the named proxies forwarded it) and drops any client-sent value, so it cannot be spoofed.
 */
export const CLIENT_IP_HEADER = 'x-taskstream-client-ip';

export interface AuthOptions {
  db: Db;
  config: Pick<Config, 'publicUrl' | 'TRUSTED_ORIGINS' | 'SIGN_IN_RATE_LIMIT' | 'SIGN_IN_RATE_WINDOW_SECONDS' | 'SIGN_IN_ACCOUNT_LIMIT' | 'SIGN_IN_ACCOUNT_WINDOW_SECONDS'>;
  secret: string;
  /**
   * With an SMTP server: mails the verification link on sign-up (and on request), and reminder
   * email then goes only to verified addresses. Without one nothing is mailed, so nothing is asked.
   */
  sendVerificationMail?: SendVerificationMail | undefined;
}

export function createAuth({ db, config, secret, sendVerificationMail }: AuthOptions) {
  return betterAuth({
    appName: 'Taskstream',
    baseURL: config.publicUrl,
    basePath: '/api/auth',
    secret,
    trustedOrigins: [config.publicUrl, ...config.TRUSTED_ORIGINS],
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: { user, session, account, verification, jwks, rateLimit },
    }),
    // Signing in does not wait for verification (the web app has no step for it yet); only email does.
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128 },
    ...(sendVerificationMail && {
      emailVerification: {
        sendVerificationEmail: sendVerificationMail,
        sendOnSignUp: true,
        // The link proves the address, nothing more: a forwarded or leaked mail must not be a session.
        autoSignInAfterVerification: false,
        expiresIn: 24 * 3600,
      },
    }),
    user: {
      additionalFields: {
        timeZone: { type: 'string', required: false, defaultValue: 'UTC', input: true },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    // Counters live in the database so every API replica enforces the same limit. They key on the
    // client address Fastify resolved (TRUST_PROXY), passed in CLIENT_IP_HEADER.
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': { window: config.SIGN_IN_RATE_WINDOW_SECONDS, max: config.SIGN_IN_RATE_LIMIT },
        '/sign-up/email': { window: 60, max: 20 },
        // Each call can mail a stranger's address.
        '/send-verification-email': { window: 300, max: 3 },
      },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      database: { generateId: () => crypto.randomUUID() },
    },
    plugins: [
      bearer(),
      jwt({ disableSettingJwtHeader: true, jwt: { issuer: config.publicUrl, audience: config.publicUrl, expirationTime: '15m' } }),
      signInAccountLimit({ db, max: config.SIGN_IN_ACCOUNT_LIMIT, windowSeconds: config.SIGN_IN_ACCOUNT_WINDOW_SECONDS }),
      // Its description of sign-up, sign-in… joins /openapi.json (better-auth-document.ts); /docs is the one reference page.
      openAPI({ disableDefaultReference: true }),
    ],
    databaseHooks: {
      user: {
        create: {
          before: async (candidate) => ({ data: { ...candidate, timeZone: validZone((candidate as { timeZone?: unknown }).timeZone ?? 'UTC') } }),
          after: async (created) => {
            await db.insert(userPreferences).values({ userId: created.id }).onConflictDoNothing();
          },
        },
        // POST /api/auth/update-user takes additional fields too, and a zone stored there would
        // break every task default and reminder of the user: it passes the same check as sign-up.
        update: {
          before: async (patch) => {
            if (!('timeZone' in patch) || patch.timeZone === undefined) return;
            return { data: { ...patch, timeZone: validZone(patch.timeZone) } };
          },
        },
      },
    },
  });
}

/** The zone under its canonical name, or a 400 that says what is wrong; nothing is written. */
function validZone(zone: unknown): string {
  const canonical = typeof zone === 'string' ? canonicalZone(zone) : undefined;
  if (!canonical) {
    throw new APIError('BAD_REQUEST', {
      message: `timeZone ${JSON.stringify(zone)} is not an IANA time zone (e.g. Europe/Berlin, UTC)`,
      code: 'INVALID_TIME_ZONE',
    });
  }
  return canonical;
}

export type Auth = ReturnType<typeof createAuth>;
