// Policy pages: order information, shipping, returns and refunds, privacy.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { MemoCache } from '../../domain/shared/memo-cache.ts';
import { render } from './html.tsx';
import { sendPage } from './visitor.ts';
import { POLICIES, PolicyView, type PolicySlug } from './views/policy-views.tsx';

/** The meta description of each policy page (what a search result shows under its title). */
const SUMMARIES: Record<PolicySlug, string> = {
  'order-information': 'how orders are confirmed, changed or cancelled before they ship, and how to track them.',
  shipping: 'shipping methods, rates, delivery times and sales tax.',
  returns: 'how to apply for a return, an exchange or a refund, and how refunds are paid.',
  privacy: 'what personal data we keep and why.',
};

export async function policyPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const cache = new MemoCache<string>(10);
  ctx.onChange('settings', () => cache.clear());
  app.get<{ Params: { slug: string } }>('/policies/:slug', async (req, reply) => {
    const slug = req.params.slug;
    if (!Object.hasOwn(POLICIES, slug)) return reply.callNotFound();
    const main = await cache.getOrCompute(slug, async () => render(<PolicyView slug={slug as PolicySlug} s={ctx.settings()} />));
    const title = POLICIES[slug as PolicySlug];
    const description = `${title} at ${ctx.settings().storeName}: ${SUMMARIES[slug as PolicySlug]}`;
    return sendPage(ctx, req, reply, { title, description, canonicalPath: `/policies/${slug}`, main });
  });
}
