import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { bearer, jwt, openAPI } from 'better-auth/plugins';
import type { Config } from '@taskstream/config';
import { account, jwks, rateLimit, session, user, userPreferences, verification, type Db } from '@taskstream/db';
import { canonicalZone } from '@taskstream/time';

/** Fastify writes the socket address here and drops any client-sent value, so it cannot be spoofed. */
export const CLIENT_IP_HEADER = 'x-taskstream-client-ip';

export interface AuthOptions {
  db: Db;
  config: Pick<Config, 'publicUrl' | 'TRUSTED_ORIGINS' | 'SIGN_IN_RATE_LIMIT' | 'SIGN_IN_RATE_WINDOW_SECONDS'>;
  secret: string;
}

export function createAuth({ db, config, secret }: AuthOptions) {
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
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128 },
    user: {
      additionalFields: {
        timeZone: { type: 'string', required: false, defaultValue: 'UTC', input: true },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    // Counters live in the database so every API replica enforces the same limit.
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': { window: config.SIGN_IN_RATE_WINDOW_SECONDS, max: config.SIGN_IN_RATE_LIMIT },
        '/sign-up/email': { window: 60, max: 20 },
      },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      database: { generateId: () => crypto.randomUUID() },
    },
    plugins: [
      bearer(),
      jwt({ disableSettingJwtHeader: true, jwt: { issuer: config.publicUrl, audience: config.publicUrl, expirationTime: '15m' } }),
      // Its description of sign-up, sign-in… joins /openapi.json (better-auth-document.ts); /docs is the one reference page.
      openAPI({ disableDefaultReference: true }),
    ],
    databaseHooks: {
      user: {
        create: {
          before: async (candidate) => {
            const zone = (candidate as { timeZone?: unknown }).timeZone ?? 'UTC';
            const canonical = typeof zone === 'string' ? canonicalZone(zone) : undefined;
            if (!canonical) {
              throw new APIError('BAD_REQUEST', {
                message: `timeZone ${JSON.stringify(zone)} is not an IANA time zone (e.g. Europe/Berlin, UTC)`,
                code: 'INVALID_TIME_ZONE',
              });
            }
            return { data: { ...candidate, timeZone: canonical } };
          },
          after: async (created) => {
            await db.insert(userPreferences).values({ userId: created.id }).onConflictDoNothing();
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
