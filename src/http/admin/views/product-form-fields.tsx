// The fields the new-product form and the product page share: the product's details and its
// specification rows, the hidden default button, and the error summary's labels.
import type { Category } from '../../../domain/catalog/catalog-repo.ts';
import { PRODUCT_LABELS, specRows } from '../catalog-form.ts';
import { TAX_CATEGORIES } from '../../../domain/tax/tax-table.ts';
import { CheckboxField, Field, SelectField, fieldId, text, type FormErrors, type FormValues } from './form.tsx';

/** Error summary labels for prefixed variant fields ("v-….price" → "Price ($)"). */
export const labelsFor = (errors: FormErrors) =>
  Object.fromEntries(Object.keys(errors).map((k) => [k, PRODUCT_LABELS[k.split('.').pop()!] ?? (k.startsWith('specifications.') ? `Specification row ${Number(k.split('.')[1]) + 1}` : k)]));

export function DetailsFields({ values, errors, categories }: { values: FormValues; errors: FormErrors; categories: Category[] }) {
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
export const DefaultSubmit = () => (
  <button type="submit" class="default-submit" tabIndex={-1} aria-hidden="true">
    Save
  </button>
);
