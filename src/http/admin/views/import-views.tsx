// /admin/products/import: choose a CSV (Casanova's columns, Shopify's or WooCommerce's), see per row what a
// dry run would create, change or refuse and why, then import it in one go.
import type { VNode } from 'preact';
import type { ImportPlan } from '../../../domain/catalog-import/import-plan.ts';

export function ImportView({ csrf, plan, error, applied }: { csrf: string; plan?: ImportPlan; error?: string; applied?: boolean }) {
  return (
    <>
      <h1>Import products</h1>
      {error ? (
        <div class="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      {applied && plan ? (
        <div class="alert alert-ok" role="status">
          Imported: {plan.counts['create product']} new products, {plan.counts['add variant']} new variants, {plan.counts.change} changed.
        </div>
      ) : null}
      <section class="panel">
        <p>
          A CSV in Casanova's columns (as <a href="/admin/products.csv">Export products</a> writes them), or a Shopify or WooCommerce product CSV. Rows are matched by
          SKU, then by handle (WooCommerce: by product name). Pictures named by URL are fetched for new products. Dry run first: nothing changes until you import,
          and an import with any refused row imports nothing.
        </p>
        {/* The CSRF token rides in the URL: a multipart body is read after the check. */}
        <form method="post" action={`/admin/products/import?_csrf=${encodeURIComponent(csrf)}`} enctype="multipart/form-data">
          <div class="field">
            <label for="f-file">CSV file</label>
            <input id="f-file" type="file" name="file" accept=".csv,text/csv" required />
          </div>
          <button type="submit" name="mode" value="dry-run">
            Dry run
          </button>{' '}
          <button type="submit" name="mode" value="apply" class="secondary">
            Import
          </button>
        </form>
        <p>
          <a href="/admin/customers.csv">Export customers</a>
        </p>
      </section>
      {plan ? <PlanTable plan={plan} /> : null}
    </>
  );
}

const FORMAT_NAMES: Record<ImportPlan['format'], string> = { casanova: 'Casanova', shopify: 'Shopify', woocommerce: 'WooCommerce' };

function PlanTable({ plan }: { plan: ImportPlan }): VNode {
  return (
    <section class="panel" aria-labelledby="plan-title">
      <h2 id="plan-title">
        {FORMAT_NAMES[plan.format]} CSV: {plan.counts['create product']} new products, {plan.counts['add variant']} new variants, {plan.counts.change} changed,{' '}
        {plan.counts.unchanged} unchanged, {plan.counts.refused} refused{plan.counts['add pictures'] ? `, ${plan.counts['add pictures']} picture row${plan.counts['add pictures'] === 1 ? '' : 's'}` : ''}
      </h2>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">SKU</th>
              <th scope="col">Handle</th>
              <th scope="col">What happens</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {plan.lines.map((l) => (
              <tr class={l.action === 'refused' ? 'row-refused' : undefined}>
                <td>{l.line}</td>
                <td>{l.sku}</td>
                <td>{l.handle}</td>
                <td>{l.action}</td>
                <td>{l.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
