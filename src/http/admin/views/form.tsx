// Form building blocks for back-office pages: a labelled field with its hint and its error
// next to it, a select, a checkbox, and a summary of errors at the top linking to each field.
import type { ComponentChildren } from 'preact';
import { FieldError } from '../../pages/views/parts.tsx';

/** Values typed into a form, kept as text so a refused form shows what was typed. */
export type FormValues = Record<string, string | string[] | undefined>;
export type FormErrors = Record<string, string>;

/** A stable element id for a field name such as "shipping.methods.standard.rate". */
export const fieldId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9_-]+/g, '-')}`;

/** The first text value of a form field (repeated fields arrive as arrays). */
export const text = (values: FormValues, name: string): string => {
  const v = values[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

/** Every value of a repeated field (checkbox groups). */
export const list = (values: FormValues, name: string): string[] => {
  const v = values[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

type Common = { name: string; label: string; error?: string; hint?: string; class?: string };

function described(name: string, hint?: string, error?: string) {
  const id = fieldId(name);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { id, 'aria-describedby': describedBy || undefined, 'aria-invalid': error ? ('true' as const) : undefined };
}

function Wrap({ name, label, error, hint, class: cls, children }: Common & { children: ComponentChildren }) {
  const id = fieldId(name);
  return (
    <div class={['field', error ? 'invalid' : '', cls ?? ''].filter(Boolean).join(' ')}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      <FieldError id={id} error={error} />
    </div>
  );
}

export function Field(
  props: Common & {
    value?: string;
    type?: 'text' | 'email' | 'password' | 'number' | 'tel' | 'date' | 'url' | 'textarea';
    autocomplete?: string;
    required?: boolean;
    inputMode?: 'numeric' | 'decimal' | 'email' | 'tel' | 'text';
    rows?: number;
    maxLength?: number;
    autofocus?: boolean;
  },
) {
  const { name, value, type = 'text', autocomplete, required, inputMode, rows, maxLength, autofocus } = props;
  const a = described(name, props.hint, props.error);
  return (
    <Wrap {...props}>
      {type === 'textarea' ? (
        <textarea {...a} name={name} rows={rows ?? 4} required={required} maxLength={maxLength}>
          {value ?? ''}
        </textarea>
      ) : (
        <input
          {...a}
          name={name}
          type={type}
          value={type === 'password' ? undefined : value}
          autocomplete={autocomplete}
          required={required}
          inputMode={inputMode}
          maxLength={maxLength}
          autofocus={autofocus}
        />
      )}
    </Wrap>
  );
}

export function SelectField(props: Common & { value?: string; options: { value: string; label: string }[] }) {
  return (
    <Wrap {...props}>
      <select {...described(props.name, props.hint, props.error)} name={props.name}>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Wrap>
  );
}

export function CheckboxField({ name, label, checked, value = 'on', hint }: { name: string; label: string; checked: boolean; value?: string; hint?: string }) {
  const id = fieldId(`${name}-${value}`);
  return (
    <div class="check">
      <input type="checkbox" id={id} name={name} value={value} checked={checked} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** "2 fields need attention" with a link to each, shown above a refused form. */
export function ErrorSummary({ errors, labels }: { errors: FormErrors; labels?: Record<string, string> }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="alert alert-error" role="alert" tabIndex={-1}>
      <p>
        <strong>{entries.length === 1 ? 'One field needs attention:' : `${entries.length} fields need attention:`}</strong>
      </p>
      <ul>
        {entries.map(([name, message]) => (
          <li>
            <a href={`#${fieldId(name)}`}>{labels?.[name] ?? name}</a>: {message}
          </li>
        ))}
      </ul>
    </div>
  );
}
