// /admin/notifications: the customer emails with their own texts, and one email's editor:
// subject, intro and closing with the variables it may use, a preview against a real order
// (HTML in a sandboxed frame, the plain-text part beside it), a test send, a revert, and
// every change made so far.
import type { VNode } from 'preact';
import { TEXT_FIELDS, VARIABLES, type EmailTexts, type TextField, type VariableName } from '../../../emails/email-texts.ts';
import type { OverrideChange } from '../../../domain/notifications/email-overrides.ts';
import { humanize } from './display.tsx';
import { ErrorSummary, Field, text, type FormErrors, type FormValues } from './form.tsx';

export const TEXT_LABELS: Record<TextField, string> = { subject: 'Subject', intro: 'Intro', closing: 'Closing' };

export type EmailListRow = { template: string; customized: boolean; updatedAt?: Date };

export function NotificationsListView({ rows, at }: { rows: EmailListRow[]; at: (d: Date) => string }) {
  return (
    <>
      <h1>Notifications</h1>
      <p class="muted">
        The emails customers get. Each one’s subject, intro and closing can be written in the shop’s own words; the order details, totals, payment record and
        tracking link are always included.
      </p>
      <section class="panel">
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Texts</th>
                <th scope="col">Last changed</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/admin/notifications/${r.template}`}>{humanize(r.template)}</a>
                  </td>
                  <td>{r.customized ? <span class="pill pill-ok">Customized</span> : <span class="pill pill-muted">Default</span>}</td>
                  <td>{r.updatedAt ? at(r.updatedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

export type EmailPreview = {
  /** The order the preview was made from (null for emails not about an order). */
  orderNumber: string | null;
  subject: string;
  text: string;
  htmlUrl: string;
};

export type NotificationEditData = {
  template: string;
  variables: readonly VariableName[];
  values: FormValues;
  errors?: FormErrors;
  /** The template's own texts for the previewed email, shown as the default of each field. */
  defaults?: EmailTexts;
  customized: boolean;
  canEdit: boolean;
  /** The order number typed for the preview, kept in the field. */
  orderWanted: string;
  /** Why the wanted order could not be used (no such email for it). */
  orderProblem?: string;
  preview?: EmailPreview;
  history: OverrideChange[];
  at: (d: Date) => string;
  csrf: VNode;
};

export function NotificationEditView(d: NotificationEditData) {
  const name = humanize(d.template);
  const base = `/admin/notifications/${d.template}`;
  const orderField = d.preview?.orderNumber ?? '';
  return (
    <>
      <p class="muted">
        <a href="/admin/notifications">Notifications</a> ›
      </p>
      <h1>{name}</h1>
      <ErrorSummary errors={d.errors ?? {}} labels={TEXT_LABELS} />
      <div class="notify-grid">
        <section class="panel" aria-labelledby="texts-title">
          <h2 id="texts-title">Texts {d.customized ? <span class="pill pill-ok">Customized</span> : <span class="pill pill-muted">Default</span>}</h2>
          <p class="hint">Plain text only: anything that looks like markup is shown as typed. Leave a field empty to use the default.</p>
          <h3>Variables</h3>
          <ul class="variables">
            {d.variables.map((v) => (
              <li>
                <code>{`{{${v}}}`}</code> {VARIABLES[v].description}
              </li>
            ))}
          </ul>
          {d.canEdit ? (
            <form method="post" action={base}>
              {d.csrf}
              {TEXT_FIELDS.map((f) => (
                <Field
                  name={f}
                  label={TEXT_LABELS[f]}
                  type={f === 'subject' ? 'text' : 'textarea'}
                  rows={4}
                  value={text(d.values, f)}
                  error={d.errors?.[f]}
                  hint={d.defaults?.[f] ? `Default: ${d.defaults[f]}` : 'Default: the email’s own wording.'}
                />
              ))}
              <button type="submit">Save</button>
            </form>
          ) : (
            <dl class="texts">
              {TEXT_FIELDS.map((f) => (
                <>
                  <dt>{TEXT_LABELS[f]}</dt>
                  <dd>{text(d.values, f) || <span class="muted">Default</span>}</dd>
                </>
              ))}
            </dl>
          )}
          {d.canEdit && d.customized ? (
            <form method="post" action={`${base}/revert`} class="inline-form">
              {d.csrf}
              <button type="submit" class="secondary">
                Revert to default
              </button>
            </form>
          ) : null}
        </section>
        <section class="panel" aria-labelledby="preview-title">
          <h2 id="preview-title">Preview</h2>
          <form method="get" action={base} class="inline-form">
            <Field name="order" label="Order number" value={d.orderWanted || orderField} hint="Previewed with the email this order got; empty for the latest." />
            <button type="submit" class="secondary">
              Preview
            </button>
          </form>
          {d.orderProblem ? (
            <div class="alert alert-error" role="alert">
              {d.orderProblem}
            </div>
          ) : null}
          {d.preview ? (
            <>
              <p>
                <strong>Subject:</strong> {d.preview.subject}
                {d.preview.orderNumber ? <span class="muted"> · order {d.preview.orderNumber}</span> : null}
              </p>
              <iframe class="mail-frame" src={d.preview.htmlUrl} sandbox="" title={`Preview: ${d.preview.subject}`} referrerpolicy="no-referrer" />
              <h3>Plain-text part</h3>
              <pre class="mail-text">{d.preview.text}</pre>
              {d.canEdit ? (
                <form method="post" action={`${base}/test`} class="inline-form">
                  {d.csrf}
                  <input type="hidden" name="order" value={orderField} />
                  <button type="submit">Send a test to me</button>
                </form>
              ) : null}
            </>
          ) : (
            <p class="muted">No email of this kind has been sent yet, so there is nothing to preview it with.</p>
          )}
        </section>
      </div>
      <section class="panel" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {d.history.length === 0 ? (
          <p class="muted">No changes yet: this email uses its default texts.</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {d.history.map((h) => (
                  <tr>
                    <td>{d.at(h.createdAt)}</td>
                    <td>{h.staffName}</td>
                    <td>
                      <strong>{h.action === 'reverted' ? 'Reverted to default' : 'Saved'}</strong>
                      <ChangeList before={h.before} after={h.after} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function ChangeList({ before, after }: { before: EmailTexts; after: EmailTexts }) {
  const changed = TEXT_FIELDS.filter((f) => before[f] !== after[f]);
  const shown = (s: string | null) => (s === null ? <em>default</em> : <q>{s}</q>);
  return (
    <ul class="changes">
      {changed.map((f) => (
        <li>
          {TEXT_LABELS[f]}: {shown(before[f])} → {shown(after[f])}
        </li>
      ))}
    </ul>
  );
}
