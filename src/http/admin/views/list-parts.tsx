// What the back-office lists (orders, support inbox, returns, products, stock, mail) share:
// status tabs with their counts, and the page links under a list. Links only, so both work
// without JavaScript; the current tab is marked with aria-current for screen readers and CSS.

/** One tab per status (or group of statuses), each with how many items it holds. */
export function StatusTabs<F extends string>({ label, tabs, current, href, count }: { label: string; tabs: { filter: F; label: string }[]; current: F; href: (filter: F) => string; count: (filter: F) => number }) {
  return (
    <nav class="tabs" aria-label={label}>
      <ul>
        {tabs.map((tab) => (
          <li>
            <a href={href(tab.filter)} aria-current={tab.filter === current ? 'page' : undefined}>
              {tab.label} <span class="count">{count(tab.filter)}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** "← Previous · Page 2 of 5 · Next →" under a list of `total` items; nothing when they fit on one page. */
export function Pagination({
  page,
  total,
  perPage,
  href,
  label = 'Pages',
  previous = '← Previous',
  next = 'Next →',
}: {
  page: number;
  total: number;
  perPage: number;
  href: (page: number) => string;
  label?: string;
  previous?: string;
  next?: string;
}) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return null;
  return (
    <nav class="pagination" aria-label={label}>
      {page > 1 ? <a href={href(page - 1)}>{previous}</a> : null}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <a href={href(page + 1)}>{next}</a> : null}
    </nav>
  );
}
