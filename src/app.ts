// Builds the Fastify app from its parts: plugins, routes and one error handler.
// server.ts listens; tests call buildApp() and use app.inject() or listen on port 0.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from './context.ts';
import { redactPaths } from './context.ts';
import { VERSION } from './version.ts';
import { toErrorResponse } from './http/errors.ts';
import { cookies } from './http/cookies.ts';
import { securityHeaders } from './http/security-headers.ts';
import { forgetQueueOnStaffWrites } from './http/api/queue-cache.ts';
import { authenticateBeforeValidation, refuseNulCharacters, requestLogSerializers } from './http/request-hardening.ts';
import { healthRoutes } from './http/health.ts';
import { metricsRoutes } from './http/metrics.ts';
import { imageRoutes } from './http/images.ts';
import { assetRoutes } from './http/assets.ts';
import { createCatalogReader } from './domain/catalog/catalog-reader.ts';
import { catalogApi } from './http/api/catalog-api.ts';
import { adminOrdersApi } from './http/api/admin-orders-api.ts';
import { adminOrderEditsApi } from './http/api/admin-order-edits-api.ts';
import { catalogPages, notFoundPage } from './http/pages/catalog-pages.tsx';
import { policyPages } from './http/pages/policy-pages.tsx';
import { seoRoutes } from './http/seo/seo-routes.ts';
import { sendPage } from './http/pages/visitor.ts';
import { adminAuthPages } from './http/admin/auth-pages.tsx';
import { adminDashboardPage } from './http/admin/dashboard-page.tsx';
import { taxReportPages } from './http/admin/tax-report-pages.tsx';
import { orderEditPages } from './http/admin/order-edit-pages.tsx';
import { phoneOrderPages } from './http/admin/phone-order-pages.tsx';
import { payLinkPages } from './http/pages/pay-link-pages.tsx';
import { payChangesPages } from './http/pages/pay-changes-pages.tsx';
import { adminStaffPages } from './http/admin/staff-pages.tsx';
import { adminSettingsPages } from './http/admin/settings-pages.tsx';
import { adminPackageSettingsPages } from './http/admin/package-settings-pages.tsx';
import { adminBackupPages } from './http/admin/backup-pages.tsx';
import { adminImportPages } from './http/admin/import-pages.tsx';
import { adminOrderPages } from './http/admin/order-pages.tsx';
import { authApi } from './http/api/auth-api.ts';
import { adminInventoryApi } from './http/api/admin-inventory-api.ts';
import { cartApi } from './http/api/cart-api.ts';
import { checkoutApi } from './http/api/checkout-api.ts';
import { cartPages } from './http/pages/cart-pages.tsx';
import { checkoutPages } from './http/pages/checkout-pages.tsx';
import { sandboxPayPages } from './http/pages/sandbox-pay-pages.tsx';
import { paymentWebhooksApi } from './http/api/payment-webhooks-api.ts';
import { trackingPages } from './http/pages/tracking-pages.tsx';
import { accountPages } from './http/pages/account-pages.tsx';
import { recoveryPages } from './http/pages/recovery-pages.tsx';
import { trackingApi } from './http/api/tracking-api.ts';
import { carrierEventsApi } from './http/api/carrier-events-api.ts';
import { shippingWebhooksApi } from './http/api/shipping-webhooks-api.ts';
import { adminCarrierEventPages } from './http/admin/carrier-event-pages.tsx';
import { adminCatalogPages } from './http/admin/catalog-pages.tsx';
import { adminStockPages } from './http/admin/stock-pages.tsx';
import { adminMailPages } from './http/admin/mail-pages.tsx';
import { adminNotificationPages } from './http/admin/notification-pages.tsx';
import { adminNotificationsApi } from './http/api/admin-notifications-api.ts';
import { adminWebhooksApi } from './http/api/admin-webhooks-api.ts';
import { adminWebhookPages } from './http/admin/webhook-pages.tsx';
import { adminDiscountPages } from './http/admin/discount-pages.tsx';
import { adminDiscountsApi } from './http/api/admin-discounts-api.ts';
import { returnsApi } from './http/api/returns-api.ts';
import { returnsPages } from './http/pages/returns-pages.tsx';
import { returnLabelPages } from './http/pages/return-label-pages.ts';
import { adminReturnPages } from './http/admin/return-pages.tsx';
import { contactPages } from './http/pages/contact-pages.tsx';
import { orderRequestPages } from './http/pages/order-request-pages.tsx';
import { orderRequestsApi } from './http/api/order-requests-api.ts';
import { adminSupportPages } from './http/admin/support-pages.tsx';

export const BODY_LIMIT = 1024 * 1024;

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log.child({}, { redact: redactPaths, serializers: requestLogSerializers }) as FastifyBaseLogger,
    // A hop count is accepted at run time although the type does not list it.
    trustProxy: (ctx.config.trustProxy ?? false) as boolean | string,
    bodyLimit: BODY_LIMIT,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
  }).withTypeProvider<ZodTypeProvider>() as unknown as FastifyInstance;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Set before any route plugin registers, so every plugin inherits it.
  app.setErrorHandler((err, req, reply) => {
    const { status, body, expose, headers } = toErrorResponse(err);
    // A 5xx with a message for the visitor (picture storage down) is still the operator's to see, with its cause.
    if (!expose || status >= 500) req.log.error({ err }, 'request failed');
    if (headers) reply.headers(headers);
    reply.code(status).type('application/json; charset=utf-8').send(body);
  });

  await cookies(app);
  metricsRoutes(app, { ctx });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(multipart, { limits: { fileSize: 8 * 1024 * 1024, files: 5, fields: 40, parts: 50 } });
  securityHeaders(app, ctx.config);
  authenticateBeforeValidation(app);
  refuseNulCharacters(app);
  forgetQueueOnStaffWrites(app, ctx);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Casanova API', version: VERSION, description: 'Catalog, cart, checkout, orders, tracking, requests and returns.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    // The document describes the JSON API only; storefront and back-office pages stay out.
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      return input.url.startsWith('/api/v1/') ? out : { ...out, schema: { ...out.schema, hide: true } };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const catalog = createCatalogReader(ctx);

  await app.register(healthRoutes, { ctx });
  await app.register(assetRoutes);
  await app.register(imageRoutes, { ctx });
  await app.register(catalogPages, { ctx, catalog });
  await app.register(policyPages, { ctx });
  // For search engines and shopping sites: robots.txt, the sitemap, the product feed.
  await app.register(seoRoutes, { ctx, catalog });
  await app.register(catalogApi(ctx, catalog), { prefix: '/api/v1' });
  await app.register(adminOrdersApi(ctx), { prefix: '/api/v1' });
  await app.register(adminOrderEditsApi(ctx), { prefix: '/api/v1' });
  // Staff sign-in, the back-office shell, staff and settings screens, tokens and the stock API.
  await app.register(adminAuthPages, { ctx });
  await app.register(adminDashboardPage, { ctx });
  await app.register(taxReportPages, { ctx });
  await app.register(orderEditPages, { ctx });
  await app.register(phoneOrderPages, { ctx });
  await app.register(adminStaffPages, { ctx });
  await app.register(adminSettingsPages, { ctx });
  await app.register(adminPackageSettingsPages, { ctx });
  await app.register(adminBackupPages, { ctx });
  await app.register(adminImportPages, { ctx });
  await app.register(adminOrderPages, { ctx });
  await app.register(authApi(ctx), { prefix: '/api/v1' });
  await app.register(adminInventoryApi(ctx), { prefix: '/api/v1' });
  await app.register(cartApi(ctx), { prefix: '/api/v1' });
  await app.register(checkoutApi(ctx), { prefix: '/api/v1' });
  await app.register(cartPages, { ctx });
  await app.register(checkoutPages, { ctx });
  await app.register(payLinkPages, { ctx });
  await app.register(payChangesPages, { ctx });
  // Payments: the providers' signed webhooks and the sandbox's stand-in payment page.
  await app.register(paymentWebhooksApi(ctx), { prefix: '/api/v1' });
  await app.register(sandboxPayPages, { ctx });
  // Tracking: the lookup page and API, the carrier and aggregator webhooks (raw bodies for signatures), staff-entered carrier events.
  await app.register(trackingPages, { ctx });
  await app.register(accountPages, { ctx });
  await app.register(recoveryPages, { ctx });
  await app.register(trackingApi(ctx), { prefix: '/api/v1' });
  await app.register(carrierEventsApi(ctx), { prefix: '/api/v1' });
  await app.register(shippingWebhooksApi(ctx), { prefix: '/api/v1' });
  await app.register(adminCarrierEventPages, { ctx });
  // Back-office catalog, stock and mail screens; an order's notification log in the API.
  await app.register(adminCatalogPages, { ctx });
  await app.register(adminStockPages, { ctx });
  await app.register(adminMailPages, { ctx });
  await app.register(adminNotificationPages, { ctx });
  await app.register(adminNotificationsApi(ctx), { prefix: '/api/v1' });
  // Customer service: contact page, change and cancellation requests (tracking view and API), the support inbox.
  await app.register(contactPages, { ctx });
  await app.register(orderRequestPages, { ctx });
  await app.register(orderRequestsApi(ctx), { prefix: '/api/v1' });
  await app.register(adminSupportPages, { ctx });
  // After-sales: the returns page, the returns API (customers and staff), the back-office returns screens.
  await app.register(returnsPages, { ctx });
  await app.register(returnLabelPages, { ctx });
  await app.register(returnsApi(ctx), { prefix: '/api/v1' });
  await app.register(adminReturnPages, { ctx });
  // Outgoing webhooks: the owner's endpoints and their delivery logs (screen and API).
  await app.register(adminWebhookPages, { ctx });
  await app.register(adminWebhooksApi(ctx), { prefix: '/api/v1' });
  // Discounts: codes and automatic promotions (screens and API).
  await app.register(adminDiscountPages, { ctx });
  await app.register(adminDiscountsApi(ctx), { prefix: '/api/v1' });


  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) {
      return reply.code(404).send({ error: { code: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}.` } });
    }
    return sendPage(ctx, req, reply, notFoundPage(ctx), 404);
  });

  return app;
}
