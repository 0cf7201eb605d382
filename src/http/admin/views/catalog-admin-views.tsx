// Catalog screens: the product list with search, the new-product form, and the product page
// with its details and specifications, variants and pictures. Every form works without
// JavaScript; each section posts on its own and a refused one comes back with its errors.
import type { VNode } from 'preact';
import type { AdminProduct, AdminProductRow } from '../../../domain/catalog/catalog-admin-queries.ts';
import type { Category } from '../../../domain/catalog/catalog-repo.ts';
import { MAX_UPLOAD_BYTES } from '../../../domain/storage/images.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { PRODUCT_LABELS, specRows, variantPrefix, variantToForm } from '../catalog-form.ts';
import { PARCEL_FIELDS } from '../../../domain/catalog/parcel-fields.ts';
import { TAX_CATEGORIES } from '../../../domain/tax/tax-table.ts';
import { CheckboxField, ErrorSummary, Field, SelectField, fieldId, text, type FormErrors, type FormValues } from './form.tsx';
import { Pagination } from './list-parts.tsx';
import { FieldError } from '../../pages/views/parts.tsx';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif,image/avif';

const priceRange = (min: number | null, max: number | null) =>
  min === null ? '—' : min === max ? formatMoney(min) : `${formatMoney(min)} – ${formatMoney(max ?? min)}`;

/** Error summary labels for prefixed variant fields ("v-….price" → "Price ($)"). */
const labelsFor = (errors: FormErrors) =>
  Object.fromEntries(Object.keys(errors).map((k) => [k, PRODUCT_LABELS[k.split('.').pop()!] ?? (k.startsWith('specifications.') ? `Specification row ${Number(k.split('.')[1]) + 1}` : k)]));

// ---------------------------------------------------------------- list

export type ProductListData = { list: { items: AdminProductRow[]; total: number }; q: string; page: number; limit: number };

export function ProductListView({ list, q, page, limit }: ProductListData) {
  const href = (p: number) => `/admin/products?${new URLSearchParams({ ...(q ? { q } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`;
  return (
    <>
      <div class="page-head">
        <h1>Products</h1>
        <p class="muted">{list.total === 1 ? '1 product' : `${list.total} products`}</p>
        <div class="actions">
          <a class="button" href="/admin/products/new">
            New product
          </a>{' '}
          <a class="button secondary" href="/admin/products/import">
            Import or export
          </a>
        </div>
      </div>
      <form method="get" action="/admin/products" class="filters" role="search">
        <div class="field">
          <label for="product-search">Search</label>
          <input id="product-search" type="search" name="q" value={q} placeholder="Name, SKU, web address or category" />
        </div>
        <button type="submit" class="secondary">
          Search
        </button>
        {q ? <a href="/admin/products">Clear</a> : null}
      </form>
      {list.items.length === 0 ? (
        <p class="empty">{q ? `No product matches “${q}”.` : 'No products yet.'}</p>
      ) : (
        <div class="panel table-wrap">
          <table class="table product-table">
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden">Picture</span>
                </th>
                <th scope="col">Product</th>
                <th scope="col">Category</th>
                <th scope="col" class="num">
                  Price
                </th>
                <th scope="col" class="num">
                  Variants
                </th>
                <th scope="col" class="num">
                  In stock
                </th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((p) => (
                <tr class={p.active ? undefined : 'row-muted'}>
                  <td class="thumb-cell">{p.thumbUrl ? <img src={p.thumbUrl} alt="" width={48} height={48} loading="lazy" /> : <span class="thumb-none">No picture</span>}</td>
                  <td>
                    <a href={`/admin/products/${p.id}`}>
                      <strong>{p.name}</strong>
                    </a>
                    <br />
                    <span class="muted small">/products/{p.slug}</span>
                  </td>
                  <td>{p.categoryName}</td>
                  <td class="num">{priceRange(p.minPrice, p.maxPrice)}</td>
                  <td class="num">{p.variantCount}</td>
                  <td class="num">{p.stock}</td>
                  <td>
                    {p.active ? <span class="pill pill-ok">On sale</span> : <span class="pill pill-muted">Hidden</span>} {p.featured ? <span class="pill pill-warn">Featured</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} total={list.total} perPage={limit} href={href} />
    </>
  );
}

// ---------------------------------------------------------------- product details (new and edit)

function DetailsFields({ values, errors, categories }: { values: FormValues; errors: FormErrors; categories: Category[] }) {
  const f = (name: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={PRODUCT_LABELS[name]!} value={text(values, name)} error={errors[name]} {...extra} />
  );
  const category = text(values, 'category');
  return (
    <>
      <fieldset>
        <legend>Product</legend>
        {f('name', { required: true, maxLength: 120 })}
        <div class="row">
          {f('slug', { hint: 'Shown as /products/…; left empty, made from the name. After a change the old address redirects to the new one.', maxLength: 80 })}
          <SelectField
            name="category"
            label={PRODUCT_LABELS.category!}
            value={category}
            error={errors.category}
            options={[{ value: '', label: 'Choose…' }, ...categories.map((c) => ({ value: c.slug, label: c.name }))]}
          />
          <SelectField
            name="taxCategory"
            label={PRODUCT_LABELS.taxCategory!}
            value={text(values, 'taxCategory') || 'general'}
            error={errors.taxCategory}
            options={Object.entries(TAX_CATEGORIES).map(([value, label]) => ({ value, label }))}
            hint="Some states exempt food or clothing from sales tax (Settings › Sales tax)."
          />
        </div>
        {f('description', { type: 'textarea', rows: 6, hint: 'Shown on the product page. A blank line starts a new paragraph.', maxLength: 5000 })}
        <CheckboxField name="active" label={PRODUCT_LABELS.active!} checked={text(values, 'active') !== ''} hint="Hidden products stay on past orders but leave the store." />
        <CheckboxField name="featured" label={PRODUCT_LABELS.featured!} checked={text(values, 'featured') !== ''} />
      </fieldset>
      <SpecificationRows values={values} errors={errors} />
    </>
  );
}

function SpecificationRows({ values, errors }: { values: FormValues; errors: FormErrors }) {
  const rows = specRows(values);
  return (
    <fieldset class="spec-rows" id={fieldId('specifications')}>
      <legend>Specifications</legend>
      <p class="hint">Shown as a table on the product page, in this order. Clear both boxes or press Remove to drop a row.</p>
      {errors.specifications ? <p class="field-error">{errors.specifications}</p> : null}
      <input type="hidden" name="specRows" value={String(rows.length)} />
      <div class="spec-head" aria-hidden="true">
        <span>Name</span>
        <span>Value</span>
      </div>
      <ol class="plain spec-list">
        {rows.map((row, i) => {
          const error = errors[`specifications.${i}`];
          return (
            <li class={error ? 'spec-row invalid' : 'spec-row'} id={fieldId(`specifications.${i}`)}>
              <div class="field">
                <label class="visually-hidden" for={fieldId(`specifications.${i}.name`)}>
                  Name {i + 1}
                </label>
                <input id={fieldId(`specifications.${i}.name`)} name={`specifications.${i}.name`} value={row.name} maxLength={60} placeholder="e.g. Material" aria-invalid={error ? 'true' : undefined} />
              </div>
              <div class="field">
                <label class="visually-hidden" for={fieldId(`specifications.${i}.value`)}>
                  Value {i + 1}
                </label>
                <input id={fieldId(`specifications.${i}.value`)} name={`specifications.${i}.value`} value={row.value} maxLength={300} placeholder="e.g. Solid oak" aria-invalid={error ? 'true' : undefined} />
              </div>
              <button type="submit" name="intent" value={`remove-spec:${i}`} class="secondary small" aria-label={`Remove row ${i + 1}${row.name ? ` (${row.name})` : ''}`}>
                Remove
              </button>
              {error ? <p class="field-error">{error}</p> : null}
            </li>
          );
        })}
      </ol>
      <button type="submit" name="intent" value="add-spec" class="secondary small">
        Add a row
      </button>
    </fieldset>
  );
}

/**
 * The first submit button is the one Enter presses: without this, Enter in a text box
 * would press "Remove" on the first specification row.
 */
const DefaultSubmit = () => (
  <button type="submit" class="default-submit" tabIndex={-1} aria-hidden="true">
    Save
  </button>
);

export type NewProductData = { values: FormValues; errors?: FormErrors; message?: string; categories: Category[]; csrf: VNode };

export function NewProductView({ values, errors = {}, message, categories, csrf }: NewProductData) {
  const v = (name: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={`new.${name}`} label={PRODUCT_LABELS[name]!} value={text(values, `new.${name}`)} error={errors[`new.${name}`]} {...extra} />
  );
  return (
    <>
      <p class="breadcrumb">
        <a href="/admin/products">Products</a> /
      </p>
      <h1>New product</h1>
      {message ? (
        <div class="alert alert-error" role="alert">
          {message}
        </div>
      ) : null}
      <ErrorSummary errors={errors} labels={labelsFor(errors)} />
      <form method="post" action="/admin/products" class="narrow-form product-form">
        <DefaultSubmit />
        {csrf}
        <DetailsFields values={values} errors={errors} categories={categories} />
        <fieldset>
          <legend>First variant</legend>
          <p class="hint">Every product is sold as at least one variant with its own SKU, price and stock. Add more (sizes, colours) after saving.</p>
          <div class="row">
            {v('sku', { required: true, maxLength: 40, hint: 'Unique, e.g. LMP-LIN-NAT.' })}
            {v('options', { hint: 'Optional, as name=value pairs, e.g. colour=Oat, size=M.' })}
          </div>
          <div class="row">
            {v('price', { required: true, inputMode: 'decimal', hint: 'In dollars, e.g. 89 or 89.50.' })}
            {v('compareAtPrice', { inputMode: 'decimal', hint: 'Optional old price, shown struck through.' })}
            {v('openingStock', { inputMode: 'numeric', hint: 'Units on the shelf now; recorded in the stock ledger.' })}
          </div>
          <div class="row">{PARCEL_FIELDS.map((name) => v(name, { inputMode: 'numeric', class: 'short' }))}</div>
        </fieldset>
        <p class="hint">Pictures are added on the next page, once the product is saved.</p>
        <div class="form-actions">
          <button type="submit" name="intent" value="save">
            Create product
          </button>
        </div>
      </form>
    </>
  );
}

// ---------------------------------------------------------------- product page

/** Which section of the product page a refused form belongs to, with what was typed. */
export type Refused = { section: string; values: FormValues; errors: FormErrors; message?: string };

export type ProductEditData = { product: AdminProduct; categories: Category[]; csrf: VNode; csrfToken: string; refused?: Refused; details: FormValues };

export function ProductEditView(d: ProductEditData) {
  const { product: p, refused } = d;
  const detailsErrors = refused?.section === 'details' ? refused.errors : {};
  return (
    <>
      <p class="breadcrumb">
        <a href="/admin/products">Products</a> /
      </p>
      <div class="page-head">
        <h1>{p.name}</h1>
        {p.active ? <span class="pill pill-ok">On sale</span> : <span class="pill pill-muted">Hidden</span>}
        <div class="actions">
          {p.active ? (
            <a class="button secondary" href={`/products/${p.slug}`} target="_blank" rel="noopener">
              View in store
            </a>
          ) : null}
        </div>
      </div>
      {refused?.message ? (
        <div class="alert alert-error" role="alert">
          {refused.message}
        </div>
      ) : null}
      {refused ? <ErrorSummary errors={refused.errors} labels={labelsFor(refused.errors)} /> : null}

      <div class="product-edit">
        <form method="post" action={`/admin/products/${p.id}`} class="product-form" aria-label="Product details">
          <DefaultSubmit />
          {d.csrf}
          <DetailsFields values={d.details} errors={detailsErrors} categories={d.categories} />
          <div class="form-actions">
            <button type="submit" name="intent" value="save">
              Save product
            </button>
          </div>
        </form>

        <div class="product-side">
          <Variants {...d} />
          <Images {...d} />
        </div>
      </div>
    </>
  );
}

function Variants({ product: p, csrf, refused }: ProductEditData) {
  const newPrefix = variantPrefix('new');
  const newValues = refused?.section === 'variant:new' ? refused.values : {};
  const newErrors = refused?.section === 'variant:new' ? refused.errors : {};
  return (
    <section class="panel" aria-labelledby="variants-title">
      <h2 id="variants-title">Variants</h2>
      <p class="hint">Prices in dollars; options as name=value pairs, e.g. colour=Oat, size=M. Stock is counted on the Stock screen.</p>
      <ul class="plain variant-list">
        {p.variants.map((v) => {
          const prefix = variantPrefix(v.id);
          const mine = refused?.section === `variant:${v.id}`;
          const values = mine ? refused.values : variantToForm(v, prefix);
          const errors = mine ? refused.errors : {};
          const f = (name: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
            <Field name={`${prefix}${name}`} label={PRODUCT_LABELS[name]!} value={text(values, `${prefix}${name}`)} error={errors[`${prefix}${name}`]} {...extra} />
          );
          return (
            <li class="variant-item">
              <form method="post" action={`/admin/products/${p.id}/variants/${v.id}`} class="variant-form" aria-label={`Variant ${v.sku}`}>
                {csrf}
                <div class="variant-fields">
                  {f('sku', { required: true, maxLength: 40 })}
                  {f('options')}
                  {f('price', { inputMode: 'decimal', required: true })}
                  {f('compareAtPrice', { inputMode: 'decimal' })}
                  {PARCEL_FIELDS.map((name) => f(name, { inputMode: 'numeric' }))}
                </div>
                <div class="variant-foot">
                  <a href={`/admin/stock/${encodeURIComponent(v.sku)}`}>{v.stock} in stock</a>
                  <button type="submit" class="small">
                    Save variant
                  </button>
                </div>
              </form>
              {p.variants.length > 1 && !v.sold ? (
                <form method="post" action={`/admin/products/${p.id}/variants/${v.id}/delete`} class="variant-remove">
                  {csrf}
                  <button type="submit" class="secondary small" aria-label={`Remove variant ${v.sku}`}>
                    Remove
                  </button>
                </form>
              ) : null}
            </li>
          );
        })}
      </ul>
      <details class="add-variant" open={refused?.section === 'variant:new'}>
        <summary>Add a variant</summary>
        <form method="post" action={`/admin/products/${p.id}/variants`} class="variant-form">
          {csrf}
          <div class="variant-fields">
            {(['sku', 'options', 'price', 'compareAtPrice', 'openingStock', ...PARCEL_FIELDS] as const).map((name) => (
              <Field
                name={`${newPrefix}${name}`}
                label={PRODUCT_LABELS[name]!}
                value={text(newValues, `${newPrefix}${name}`)}
                error={newErrors[`${newPrefix}${name}`]}
                inputMode={name.toLowerCase().includes('price') ? 'decimal' : name === 'sku' || name === 'options' ? undefined : 'numeric'}
              />
            ))}
          </div>
          <button type="submit" class="small">
            Add variant
          </button>
        </form>
      </details>
    </section>
  );
}

function Images({ product: p, csrf, csrfToken, refused }: ProductEditData) {
  const uploadErrors = refused?.section === 'image:new' ? refused.errors : {};
  const uploadValues = refused?.section === 'image:new' ? refused.values : {};
  return (
    <section class="panel" aria-labelledby="images-title">
      <h2 id="images-title">Pictures</h2>
      {p.images.length === 0 ? <p class="muted">No pictures yet. The first picture is the one shown in lists.</p> : null}
      <ol class="plain image-list">
        {p.images.map((img, i) => {
          const mine = refused?.section === `image:${img.id}`;
          const altName = `alt-${img.id}`;
          return (
            <li class="image-item">
              <img src={img.thumbUrl} alt="" width={96} height={96} loading="lazy" />
              <div class="image-body">
                <form method="post" action={`/admin/products/${p.id}/images/${img.id}`} id={`alt-form-${img.id}`}>
                  {csrf}
                  <Field
                    name={altName}
                    label={`Alt text, picture ${i + 1}${i === 0 ? ' (main)' : ''}`}
                    value={mine ? text(refused.values, altName) : img.alt}
                    error={mine ? refused.errors[altName] : undefined}
                    maxLength={200}
                  />
                </form>
                {/* One row of actions; "Save alt text" belongs to the form above through its form attribute. */}
                <div class="image-actions">
                  <button type="submit" form={`alt-form-${img.id}`} class="secondary small">
                    Save alt text
                  </button>
                  {i > 0 ? (
                    <form method="post" action={`/admin/products/${p.id}/images/${img.id}/move`}>
                      {csrf}
                      <input type="hidden" name="direction" value="up" />
                      <button type="submit" class="secondary small" aria-label={`Move picture ${i + 1} earlier`}>
                        ↑ Earlier
                      </button>
                    </form>
                  ) : null}
                  {i < p.images.length - 1 ? (
                    <form method="post" action={`/admin/products/${p.id}/images/${img.id}/move`}>
                      {csrf}
                      <input type="hidden" name="direction" value="down" />
                      <button type="submit" class="secondary small" aria-label={`Move picture ${i + 1} later`}>
                        ↓ Later
                      </button>
                    </form>
                  ) : null}
                  <form method="post" action={`/admin/products/${p.id}/images/${img.id}/delete`} class="image-delete">
                    {csrf}
                    <button type="submit" class="danger small" aria-label={`Delete picture ${i + 1}`}>
                      Delete
                    </button>
                  </form>
                </div>
              </div>
            </li>
          );
        })}
      </ol>
      <form method="post" action={`/admin/products/${p.id}/images?_csrf=${encodeURIComponent(csrfToken)}`} enctype="multipart/form-data" class="image-upload">
        <h3>Add a picture</h3>
        <div class={uploadErrors.image ? 'field invalid' : 'field'}>
          <label for={fieldId('image')}>{PRODUCT_LABELS.image}</label>
          <p class="hint" id={`${fieldId('image')}-hint`}>
            JPEG, PNG, WebP, GIF or AVIF, up to {MAX_UPLOAD_BYTES / 1024 / 1024} MB. Thumbnails are made on upload.
          </p>
          <input
            id={fieldId('image')}
            type="file"
            name="image"
            accept={ACCEPT}
            required
            aria-describedby={`${fieldId('image')}-hint${uploadErrors.image ? ` ${fieldId('image')}-error` : ''}`}
            aria-invalid={uploadErrors.image ? 'true' : undefined}
          />
          <FieldError id={fieldId('image')} error={uploadErrors.image} />
        </div>
        <Field name="alt" label={PRODUCT_LABELS.alt!} value={text(uploadValues, 'alt')} error={uploadErrors.alt} required maxLength={200} hint="What the picture shows, for people who cannot see it." />
        <button type="submit">Upload picture</button>
      </form>
    </section>
  );
}

export function ProductNotFoundView() {
  return (
    <section class="panel narrow">
      <h1>Product not found</h1>
      <p>It may have been removed, or the link is incomplete.</p>
      <p>
        <a href="/admin/products">Back to the products</a>
      </p>
    </section>
  );
}
