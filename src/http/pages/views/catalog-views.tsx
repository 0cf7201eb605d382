// Storefront catalog views: home, listing, product page. Pure components: data in, markup out.
import type { Category, ProductDetail, ProductSummary, Sort } from '../../../domain/catalog/catalog-repo.ts';
import { formatMoney, type Money } from '../../../domain/shared/money.ts';
import { stockStatus } from '../../../domain/catalog/stock-status.ts';

export const Price = ({ price, compareAt, from }: { price: Money; compareAt?: Money; from?: boolean }) => (
  <span class="price">
    {from ? <span class="price-from">From </span> : null}
    <span class={compareAt ? 'price-now sale' : 'price-now'}>{formatMoney(price.amount, price.currency)}</span>
    {compareAt ? (
      <>
        {' '}
        <s class="price-was">
          <span class="visually-hidden">Was </span>
          {formatMoney(compareAt.amount, compareAt.currency)}
        </s>
      </>
    ) : null}
  </span>
);

/** Card titles sit one level below the heading above the grid: h3 under the home page's h2 sections, h2 under the listing's h1. */
type TitleLevel = 2 | 3;

export const ProductCard = ({ p, eager, level = 3 }: { p: ProductSummary; eager?: boolean; level?: TitleLevel }) => {
  const Title = level === 2 ? 'h2' : 'h3';
  return (
    <li class="card">
      <a href={`/products/${encodeURIComponent(p.slug)}`} class="card-link">
        <div class="card-media">
          {p.image ? (
            <img src={p.image.thumbUrl} alt={p.image.alt} width={400} height={400} loading={eager ? 'eager' : 'lazy'} decoding="async" />
          ) : null}
          {!p.inStock ? <span class="badge badge-out">Out of stock</span> : p.compareAtPrice ? <span class="badge badge-sale">Sale</span> : null}
        </div>
        <div class="card-body">
          <span class="card-category">{p.category.name}</span>
          <Title class="card-title">{p.name}</Title>
          <Price price={p.price} compareAt={p.compareAtPrice} from={p.priceVaries} />
        </div>
      </a>
    </li>
  );
};

export const ProductGrid = ({ items, level }: { items: ProductSummary[]; level?: TitleLevel }) => (
  <ul class="grid">
    {items.map((p, i) => (
      <ProductCard p={p} eager={i < 4} level={level} />
    ))}
  </ul>
);

export function HomeView({ storeName, categories, featured, newest }: { storeName: string; categories: Category[]; featured: ProductSummary[]; newest: ProductSummary[] }) {
  return (
    <>
      <section class="hero">
        <h1>Well-made things for the home</h1>
        <p>
          {storeName} picks lighting, textiles, kitchenware and decor that last. Every order is checked, packed by hand and tracked until it
          reaches your door.
        </p>
        <a class="button" href="/products">
          Shop all products
        </a>
      </section>
      <section aria-labelledby="cat-heading">
        <h2 id="cat-heading">Shop by category</h2>
        <ul class="category-list">
          {categories.map((c) => (
            <li>
              <a href={`/products?category=${encodeURIComponent(c.slug)}`}>
                <strong>{c.name}</strong>
                <span>{c.description}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="featured-heading">
        <h2 id="featured-heading">Featured</h2>
        <ProductGrid items={featured} />
      </section>
      <section aria-labelledby="new-heading">
        <h2 id="new-heading">New arrivals</h2>
        <ProductGrid items={newest} />
      </section>
    </>
  );
}

const SORT_LABELS: Record<Sort, string> = {
  featured: 'Featured',
  newest: 'Newest',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  name: 'Name',
};

export type ListingState = { q?: string; category?: string; sort: Sort; page: number; limit: number };

/** A listing's address; the page's canonical address is this without search and sort. */
export const listingHref = (s: ListingState, page: number) => {
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  if (s.category) params.set('category', s.category);
  if (s.sort !== 'featured') params.set('sort', s.sort);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `/products?${qs}` : '/products';
};

export function ListingView({ state, categories, items, total }: { state: ListingState; categories: Category[]; items: ProductSummary[]; total: number }) {
  const category = categories.find((c) => c.slug === state.category);
  const pages = Math.max(1, Math.ceil(total / state.limit));
  const heading = state.q ? `Results for “${state.q}”` : category ? category.name : 'All products';
  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/">Home</a> / <span aria-current="page">{category?.name ?? 'Shop'}</span>
      </nav>
      <h1>{heading}</h1>
      <form class="filters" method="get" action="/products">
        <div class="field">
          <label for="q">Search</label>
          <input id="q" name="q" type="search" value={state.q ?? ''} maxLength={100} />
        </div>
        <div class="field">
          <label for="category">Category</label>
          <select id="category" name="category">
            <option value="">All categories</option>
            {categories.map((c) => (
              <option value={c.slug} selected={c.slug === state.category}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="sort">Sort by</label>
          <select id="sort" name="sort">
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option value={value} selected={value === state.sort}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button secondary">
          Apply
        </button>
      </form>
      <p class="muted" role="status">
        {total === 1 ? '1 product' : `${total} products`}
      </p>
      {items.length ? (
        <ProductGrid items={items} level={2} />
      ) : (
        <p class="empty">
          No products match. <a href="/products">See all products</a>.
        </p>
      )}
      {pages > 1 ? (
        <nav aria-label="Pages" class="pagination">
          {state.page > 1 ? (
            <a href={listingHref(state, state.page - 1)} rel="prev">
              ← Previous
            </a>
          ) : null}
          <span>
            Page {state.page} of {pages}
          </span>
          {state.page < pages ? (
            <a href={listingHref(state, state.page + 1)} rel="next">
              Next →
            </a>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

export const optionText = (o: Record<string, string>) =>
  Object.entries(o)
    .map(([k, v]) => `${k[0]!.toUpperCase()}${k.slice(1)}: ${v}`)
    .join(', ');

export function ProductView({ p, lowStock }: { p: ProductDetail; lowStock: number }) {
  const firstAvailable = p.variants.find((v) => v.stock > 0) ?? p.variants[0]!;
  const single = p.variants.length === 1;
  const main = p.images[0];
  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/">Home</a> / <a href={`/products?category=${encodeURIComponent(p.category.slug)}`}>{p.category.name}</a> /{' '}
        <span aria-current="page">{p.name}</span>
      </nav>
      <div class="product">
        <section class="gallery" aria-label="Product images">
          {main ? <img class="gallery-main" src={main.url} alt={main.alt} width={main.width} height={main.height} data-gallery-main /> : null}
          {p.images.length > 1 ? (
            <ul class="gallery-thumbs">
              {p.images.map((img, i) => (
                <li>
                  <a href={img.url} data-gallery-thumb data-alt={img.alt} aria-current={i === 0 ? 'true' : undefined}>
                    <img src={img.thumbUrl} alt={`View image ${i + 1}: ${img.alt}`} width={96} height={96} loading="lazy" />
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
        <section class="buy">
          <h1>{p.name}</h1>
          <p class="product-price">
            <Price price={firstAvailable.price} compareAt={firstAvailable.compareAtPrice} />
          </p>
          <form method="post" action="/cart/items" class="buy-form">
            {single ? (
              <>
                <input type="hidden" name="sku" value={firstAvailable.sku} />
                <StockLine stock={firstAvailable.stock} low={lowStock} />
              </>
            ) : (
              <fieldset class="variants">
                <legend>Choose an option</legend>
                {p.variants.map((v) => {
                  const s = stockStatus(v.stock, lowStock);
                  return (
                    <label class={`variant ${s.level === 'out' ? 'variant-out' : ''}`}>
                      <input type="radio" name="sku" value={v.sku} checked={v.sku === firstAvailable.sku} disabled={v.stock <= 0} required />
                      <span class="variant-name">{optionText(v.options) || v.sku}</span>
                      <span class="variant-price">
                        <Price price={v.price} compareAt={v.compareAtPrice} />
                      </span>
                      <span class={`stock stock-${s.level}`}>{s.label}</span>
                    </label>
                  );
                })}
              </fieldset>
            )}
            <div class="buy-row">
              <div class="field quantity-field">
                <label for="quantity">Quantity</label>
                <input id="quantity" name="quantity" type="number" inputMode="numeric" min={1} max={99} value="1" required />
              </div>
              <button type="submit" class="button" disabled={p.variants.every((v) => v.stock <= 0)}>
                Add to cart
              </button>
            </div>
          </form>
          <div class="description">
            {p.description.split(/\n{2,}/).map((para) => (
              <p>{para}</p>
            ))}
          </div>
          <h2>Specifications</h2>
          <table class="specs">
            <caption class="visually-hidden">Specifications of {p.name}</caption>
            <tbody>
              {p.specifications.map((s) => (
                <tr>
                  <th scope="row">{s.name}</th>
                  <td>{s.value}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">SKU</th>
                <td>{p.variants.map((v) => v.sku).join(', ')}</td>
              </tr>
            </tbody>
          </table>
        </section>
      </div>
    </>
  );
}

const StockLine = ({ stock, low }: { stock: number; low: number }) => {
  const s = stockStatus(stock, low);
  return <p class={`stock stock-${s.level}`}>{s.label}</p>;
};

export const NotFoundView = ({ what = 'page' }: { what?: string }) => (
  <section class="not-found">
    <h1>We couldn’t find that {what}</h1>
    <p>It may have moved or no longer exists.</p>
    <p>
      <a class="button" href="/products">
        Browse the shop
      </a>{' '}
      <a class="button secondary" href="/">
        Go to the home page
      </a>
    </p>
  </section>
);
