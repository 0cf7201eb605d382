// Bearer tokens for the admin API: POST /api/v1/auth/token with a staff email and password.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { signIn } from '../../domain/staff/auth-service.ts';
import { errors } from './schemas.ts';

export function authApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/auth/token',
      {
        schema: {
          tags: ['auth'],
          summary: 'Get a bearer token for the admin API',
          description:
            'Send it as `Authorization: Bearer <token>` to /api/v1/admin/*. Valid for 12 hours. Sign-ins are rate limited per address and per account; ' +
            'repeated wrong passwords lock the account for 15 minutes (429 with Retry-After).',
          body: z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1000) }),
          response: {
            200: z.object({ token: z.string(), expiresAt: z.iso.datetime().describe('When the token stops working') }),
            ...errors(401, 422, 429),
          },
        },
      },
      async (req) => {
        const session = await signIn(ctx, 'api', { email: req.body.email, password: req.body.password, clientIp: req.ip });
        return { token: session.token, expiresAt: session.expiresAt.toISOString() };
      },
    );
  };
}
