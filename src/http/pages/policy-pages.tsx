// Policy pages: order information, shipping, returns and refunds, privacy.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { MemoCache } from '../../domain/shared/memo-cache.ts';
import { render } from './html.tsx';
import { sendPage } from './visitor.ts';
import { POLICIES, PolicyView, policyDescription, type PolicySlug } from './views/policy-views.tsx';

export async function policyPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const cache = new MemoCache<string>(10);
  ctx.onChange('settings', () => cache.clear());
  app.get<{ Params: { slug: string } }>('/policies/:slug', async (req, reply) => {
    const slug = req.params.slug;
    if (!Object.hasOwn(POLICIES, slug)) return reply.callNotFound();
    const main = await cache.getOrCompute(slug, async () => render(<PolicyView slug={slug as PolicySlug} s={ctx.settings()} />));
    return sendPage(ctx, req, reply, { title: POLICIES[slug as PolicySlug], description: policyDescription(slug as PolicySlug, ctx.settings()), canonicalPath: `/policies/${slug}`, main });
  });
}
