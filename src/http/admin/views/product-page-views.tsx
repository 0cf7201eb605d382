// One product's page in the back office: its details and specifications, variants and
// pictures. Every form works without JavaScript; each section posts on its own and a
// refused one comes back with its errors.
import type { VNode } from 'preact';
import type { AdminProduct } from '../../../domain/catalog/catalog-admin-queries.ts';
import type { Category } from '../../../domain/catalog/catalog-repo.ts';
import { MAX_UPLOAD_BYTES } from '../../../domain/storage/images.ts';
import { PRODUCT_LABELS, variantPrefix, variantToForm } from '../catalog-form.ts';
import { PARCEL_FIELDS } from '../../../domain/catalog/parcel-fields.ts';
import { ErrorSummary, Field, fieldId, text, type FormErrors, type FormValues } from './form.tsx';
import { FieldError } from '../../pages/views/parts.tsx';
import { DefaultSubmit, DetailsFields, labelsFor } from './product-form-fields.tsx';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif,image/avif';

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
