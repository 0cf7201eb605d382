// /admin/products (catalog.edit): the product list, a new product, and one product's page
// with its details, specifications, variants and pictures. Each form posts, then redirects
// with a notice (post → redirect → get); a refused one redraws the page with its errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import {
  addImage,
  addVariant,
  createProduct,
  deleteImage,
  moveImage,
  productProblems,
  removeVariant,
  updateImageAlt,
  updateProduct,
  updateVariant,
  variantProblems,
} from '../../domain/catalog/catalog-admin.ts';
import { getAdminProduct, listAdminProducts } from '../../domain/catalog/catalog-admin-queries.ts';
import { listCategories } from '../../domain/catalog/catalog-repo.ts';
import { MAX_UPLOAD_BYTES } from '../../domain/storage/images.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { csrfField, csrfToken, flash, sendAdminPage } from './admin-layout.tsx';
import { refusalOf, type Refusal } from './form-errors.ts';
import { formToProduct, formToVariant, prefixed, productToForm, variantPrefix, withSpecRows } from './catalog-form.ts';
import { text, type FormErrors, type FormValues } from './views/form.tsx';
import { NewProductView, ProductListView } from './views/catalog-admin-views.tsx';
import { ProductEditView, ProductNotFoundView, type Refused } from './views/product-page-views.tsx';

const PAGE_SIZE = 50;

type IdParams = { Params: { id: string } };
type VariantParams = { Params: { id: string; variantId: string } };
type ImageParams = { Params: { id: string; imageId: string } };

const hasErrors = (e: FormErrors) => Object.keys(e).length > 0;

export async function adminCatalogPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const guard = { preHandler: requireStaff(ctx, 'catalog.edit') };
  const page = (req: FastifyRequest, reply: FastifyReply, title: string, main: string, status = 200) =>
    sendAdminPage(ctx, req, reply, { title, active: 'catalog', main, status });

  /** The product page, optionally with one refused section redrawn as typed. */
  async function productPage(req: FastifyRequest, reply: FastifyReply, id: string, refused?: Refused, status = 200, details?: FormValues) {
    const product = await getAdminProduct(ctx.db, id).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'not_found') return undefined;
      throw err;
    });
    if (!product) return page(req, reply, 'Product not found', render(<ProductNotFoundView />), 404);
    const categories = await listCategories(ctx.db);
    const main = render(
      <ProductEditView product={product} categories={categories} csrf={csrfField(req)} csrfToken={csrfToken(req)} refused={refused} details={details ?? productToForm(product)} />,
    );
    return page(req, reply, product.name, main, status);
  }

  /** Runs a change; a refusal a person can fix redraws the product page with it, anything else propagates. */
  async function attempt(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    section: string,
    values: FormValues,
    run: () => Promise<string>,
    shown: (r: Refusal) => { errors: FormErrors; message?: string } = (r) => ({ errors: r.fields, message: r.message }),
  ) {
    try {
      flash(reply, await run());
      return reply.redirect(`/admin/products/${id}`, 303);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      return productPage(req, reply, id, { section, values, ...shown(refused) }, refused.status);
    }
  }

  app.get<{ Querystring: { q?: string; page?: string } }>('/admin/products', guard, async (req, reply) => {
    const q = String(req.query.q ?? '').slice(0, 100).trim();
    const pageNo = Math.min(10_000, Math.max(1, Math.floor(Number(req.query.page)) || 1));
    const list = await listAdminProducts(ctx.db, { q, page: pageNo, limit: PAGE_SIZE });
    return page(req, reply, 'Products', render(<ProductListView list={list} q={q} page={pageNo} limit={PAGE_SIZE} />));
  });

  app.get('/admin/products/new', guard, async (req, reply) => {
    const values = withSpecRows({ active: 'on' }, undefined);
    return page(req, reply, 'New product', render(<NewProductView values={values} categories={await listCategories(ctx.db)} csrf={csrfField(req)} />));
  });

  app.post('/admin/products', guard, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    const intent = text(form, 'intent') || undefined;
    const categories = await listCategories(ctx.db);
    const redraw = (errors: FormErrors, status: number, message?: string) =>
      page(req, reply, 'New product', render(<NewProductView values={withSpecRows(form, undefined)} errors={errors} message={message} categories={categories} csrf={csrfField(req)} />), status);
    // "Add a row" and "Remove" only redraw the form; nothing is saved yet.
    if (intent && intent !== 'save') {
      return page(req, reply, 'New product', render(<NewProductView values={withSpecRows(form, intent)} categories={categories} csrf={csrfField(req)} />));
    }
    const product = formToProduct(form);
    const prefix = variantPrefix('new');
    const variant = formToVariant(form, prefix);
    if (hasErrors(variant.errors)) return redraw({ ...productProblems(product), ...prefixed(variantProblems(variant.input), prefix), ...variant.errors }, 422);
    try {
      const created = await createProduct(ctx, { product, variant: variant.input, openingStock: variant.openingStock, staffId: req.staff.id });
      ctx.log.info({ by: req.staff.email, product: created.slug }, 'product created');
      flash(reply, `${product.name.trim()} created. Add its pictures below.`);
      return reply.redirect(`/admin/products/${created.id}`, 303);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      return redraw(prefixed(refused.fields, prefix), refused.status, refused.message);
    }
  });

  app.get<IdParams>('/admin/products/:id', guard, async (req, reply) => productPage(req, reply, req.params.id));

  app.post<IdParams>('/admin/products/:id', guard, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    const intent = text(form, 'intent') || undefined;
    if (intent && intent !== 'save') return productPage(req, reply, req.params.id, undefined, 200, withSpecRows(form, intent));
    const input = formToProduct(form);
    try {
      await updateProduct(ctx, req.params.id, input);
      flash(reply, 'Product saved. The store shows the change now.');
      return reply.redirect(`/admin/products/${req.params.id}`, 303);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      return productPage(req, reply, req.params.id, { section: 'details', values: form, errors: refused.fields, message: refused.message }, refused.status, withSpecRows(form, undefined));
    }
  });

  app.post<IdParams>('/admin/products/:id/variants', guard, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    const prefix = variantPrefix('new');
    const { input, openingStock, errors } = formToVariant(form, prefix);
    if (hasErrors(errors)) return productPage(req, reply, req.params.id, { section: 'variant:new', values: form, errors: { ...prefixed(variantProblems(input), prefix), ...errors } }, 422);
    return attempt(
      req,
      reply,
      req.params.id,
      'variant:new',
      form,
      async () => `Variant ${(await addVariant(ctx, req.params.id, { ...input, openingStock, staffId: req.staff.id })).sku} added.`,
      (r) => ({ errors: prefixed(r.fields, prefix), message: r.message }),
    );
  });

  app.post<VariantParams>('/admin/products/:id/variants/:variantId', guard, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    const prefix = variantPrefix(req.params.variantId);
    const { input, errors } = formToVariant(form, prefix);
    const section = `variant:${req.params.variantId}`;
    if (hasErrors(errors)) return productPage(req, reply, req.params.id, { section, values: form, errors: { ...prefixed(variantProblems(input), prefix), ...errors } }, 422);
    return attempt(
      req,
      reply,
      req.params.id,
      section,
      form,
      async () => `Variant ${(await updateVariant(ctx, req.params.variantId, input)).sku} saved.`,
      (r) => ({ errors: prefixed(r.fields, prefix), message: r.message }),
    );
  });

  app.post<VariantParams>('/admin/products/:id/variants/:variantId/delete', guard, async (req, reply) =>
    attempt(req, reply, req.params.id, 'variants', {}, async () => {
      await removeVariant(ctx, req.params.variantId);
      return 'Variant removed.';
    }),
  );

  app.post<IdParams>('/admin/products/:id/images', guard, async (req, reply) => {
    const values: FormValues = {};
    let bytes: Buffer | undefined;
    if (!req.isMultipart()) return productPage(req, reply, req.params.id, { section: 'image:new', values, errors: { image: 'Choose a picture to upload.' } }, 400);
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          // The multipart limit ends the read at the size limit; the picture's content is checked by storeImage.
          if (part.fieldname === 'image') bytes = await part.toBuffer();
          else await part.toBuffer();
        } else if (typeof part.value === 'string') {
          values[part.fieldname] = part.value;
        }
      }
    } catch (err) {
      if ((err as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
      return productPage(
        req,
        reply,
        req.params.id,
        { section: 'image:new', values, errors: { image: `This file is too large: pictures must be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.` } },
        413,
      );
    }
    return attempt(
      req,
      reply,
      req.params.id,
      'image:new',
      values,
      async () => {
        await addImage(ctx, req.params.id, { bytes, alt: text(values, 'alt') });
        return 'Picture added.';
      },
      // A file that is not a picture (or too large) is refused with a message: show it at the file field.
      (r) => ({ errors: Object.keys(r.fields).length ? r.fields : { image: r.message ?? 'This file cannot be used.' } }),
    );
  });

  app.post<ImageParams>('/admin/products/:id/images/:imageId', guard, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    const name = `alt-${req.params.imageId}`;
    return attempt(
      req,
      reply,
      req.params.id,
      `image:${req.params.imageId}`,
      form,
      async () => {
        await updateImageAlt(ctx, req.params.imageId, text(form, name));
        return 'Alt text saved.';
      },
      (r) => ({ errors: r.fields.alt ? { [name]: r.fields.alt } : r.fields, message: r.message }),
    );
  });

  app.post<ImageParams>('/admin/products/:id/images/:imageId/move', guard, async (req, reply) => {
    const direction = text((req.body ?? {}) as FormValues, 'direction') === 'up' ? 'up' : 'down';
    return attempt(req, reply, req.params.id, 'images', {}, async () => {
      await moveImage(ctx, req.params.imageId, direction);
      return direction === 'up' ? 'Picture moved earlier.' : 'Picture moved later.';
    });
  });

  app.post<ImageParams>('/admin/products/:id/images/:imageId/delete', guard, async (req, reply) =>
    attempt(req, reply, req.params.id, 'images', {}, async () => {
      await deleteImage(ctx, req.params.imageId);
      return 'Picture deleted.';
    }),
  );
}
