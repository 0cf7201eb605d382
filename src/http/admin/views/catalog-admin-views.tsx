// Catalog screens: the product list with search, and the new-product form, which works without
// JavaScript and comes back with its errors when refused. One product's page is in
// product-page-views.tsx; the details fields both forms share are in product-form-fields.tsx.
import type { VNode } from 'preact';
import type { AdminProductRow } from '../../../domain/catalog/catalog-admin-queries.ts';
import type { Category } from '../../../domain/catalog/catalog-repo.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { PRODUCT_LABELS } from '../catalog-form.ts';
import { PARCEL_FIELDS } from '../../../domain/catalog/parcel-fields.ts';
import { ErrorSummary, Field, text, type FormErrors, type FormValues } from './form.tsx';
import { Pagination } from './list-parts.tsx';
import { DefaultSubmit, DetailsFields, labelsFor } from './product-form-fields.tsx';

const priceRange = (min: number | null, max: number | null) =>
  min === null ? '—' : min === max ? formatMoney(min) : `${formatMoney(min)} – ${formatMoney(max ?? min)}`;

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

// ---------------------------------------------------------------- new product

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
