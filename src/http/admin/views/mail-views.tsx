// The mail screen: how deliveries stand, failed ones with a retry button, the latest
// notifications, and (without a mail server) the emails written to the mail folder. One
// email is shown inside a sandboxed frame whose own response forbids scripts.
import type { VNode } from 'preact';
import type { MailFile, MailFileSummary } from '../../../domain/notifications/mailer.ts';
import type { Delivery, DeliveryPage, DeliveryStatus } from '../../../domain/notifications/notification-log.ts';
import { Pagination } from './list-parts.tsx';
import { StatusBadge, humanize } from './display.tsx';

const STATUS_TEXT: Record<DeliveryStatus, string> = { pending: 'Queued', sending: 'Sending', sent: 'Sent', failed: 'Failed' };

function About({ n }: { n: Delivery }) {
  if (n.orderNumber) return <a href={`/admin/orders/${n.orderNumber}`}>{n.orderNumber}</a>;
  if (n.caseNumber) return <span>{n.caseNumber}</span>;
  return <span class="muted">—</span>;
}

export type MailPageData = {
  counts: Record<DeliveryStatus, number>;
  failed: { items: Delivery[]; total: number };
  recent: DeliveryPage;
  /** Without SMTP: the newest files in the mail folder; undefined when a mail server is used. */
  files?: MailFileSummary[];
  mailFileOf: (id: number) => string | undefined;
  canRetry: boolean;
  csrf: VNode;
  at: (d: Date) => string;
};

export function MailView(d: MailPageData) {
  return (
    <>
      <div class="page-head">
        <h1>Mail</h1>
        <ul class="plain mail-counts" aria-label="Deliveries by state">
          {(['pending', 'sending', 'sent', 'failed'] as const).map((s) => (
            <li>
              <StatusBadge kind="mail-" status={s} label={`${STATUS_TEXT[s]}: ${d.counts[s]}`} />
            </li>
          ))}
        </ul>
      </div>

      <section class="panel" aria-labelledby="failed-title">
        <h2 id="failed-title">Failed deliveries {d.failed.total ? <span class="muted">· {d.failed.total}</span> : null}</h2>
        {d.failed.items.length === 0 ? (
          <p class="muted">No failed emails. Emails that cannot be delivered after every attempt appear here.</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">To</th>
                  <th scope="col">About</th>
                  <th scope="col" class="num">
                    Attempts
                  </th>
                  <th scope="col">Last error</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.failed.items.map((n) => (
                  <tr>
                    <td>
                      {n.subject ?? humanize(n.template)}
                      <br />
                      <span class="muted small">queued {d.at(n.createdAt)}</span>
                    </td>
                    <td>{n.recipient}</td>
                    <td class="nowrap">
                      <About n={n} />
                    </td>
                    <td class="num">{n.attempts}</td>
                    <td class="error-text">{n.lastError ?? '—'}</td>
                    <td class="actions">
                      {d.canRetry ? (
                        <form method="post" action={`/admin/mail/${n.id}/retry`}>
                          {d.csrf}
                          <button type="submit" class="small" aria-label={`Retry email ${n.id} to ${n.recipient}`}>
                            Retry
                          </button>
                        </form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section class="panel" aria-labelledby="log-title">
        <h2 id="log-title">Notification log</h2>
        {d.recent.items.length === 0 ? (
          <p class="muted">No emails yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="table mail-log">
              <thead>
                <tr>
                  <th scope="col">Queued</th>
                  <th scope="col">Email</th>
                  <th scope="col">To</th>
                  <th scope="col">About</th>
                  <th scope="col">State</th>
                  <th scope="col" class="num">
                    Attempts
                  </th>
                  <th scope="col">Sent</th>
                </tr>
              </thead>
              <tbody>
                {d.recent.items.map((n) => {
                  const file = n.status === 'sent' ? d.mailFileOf(n.id) : undefined;
                  return (
                    <tr>
                      <td class="nowrap">{d.at(n.createdAt)}</td>
                      <td>
                        {file ? <a href={`/admin/mail/files/${file}`}>{n.subject ?? humanize(n.template)}</a> : (n.subject ?? humanize(n.template))}
                      </td>
                      <td>{n.recipient}</td>
                      <td class="nowrap">
                        <About n={n} />
                      </td>
                      <td>
                        <StatusBadge kind="mail-" status={n.status} label={STATUS_TEXT[n.status]} />
                        {n.status === 'pending' && n.attempts > 0 && n.nextAttemptAt ? <span class="muted small"> next {d.at(n.nextAttemptAt)}</span> : null}
                      </td>
                      <td class="num">{n.attempts}</td>
                      <td class="nowrap">{n.sentAt ? d.at(n.sentAt) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pagination
          page={d.recent.page}
          total={d.recent.total}
          perPage={d.recent.pageSize}
          href={(page) => `/admin/mail?page=${page}`}
          label="Pages of the notification log"
          previous="← Newer"
          next="Older →"
        />
      </section>

      <section class="panel" aria-labelledby="files-title">
        <h2 id="files-title">Mail folder</h2>
        {d.files === undefined ? (
          <p class="muted">Emails go to the mail server (SMTP_URL is set), so no copies are kept here.</p>
        ) : d.files.length === 0 ? (
          <p class="muted">No mail server is set (SMTP_URL), so emails are written to the mail folder instead. None written yet.</p>
        ) : (
          <>
            <p class="hint">No mail server is set (SMTP_URL), so emails are written to the mail folder instead of being sent. The newest {d.files.length}:</p>
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Written</th>
                    <th scope="col">Subject</th>
                    <th scope="col">To</th>
                  </tr>
                </thead>
                <tbody>
                  {d.files.map((f) => (
                    <tr>
                      <td class="nowrap">{d.at(f.modifiedAt)}</td>
                      <td>
                        <a href={`/admin/mail/files/${f.name}`}>{f.subject || f.name}</a>
                      </td>
                      <td>{f.to}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </>
  );
}

export function MailFileView({ file, at }: { file: MailFile; at: (d: Date) => string }) {
  return (
    <>
      <p class="breadcrumb">
        <a href="/admin/mail">Mail</a> /
      </p>
      <h1>{file.subject || '(no subject)'}</h1>
      <section class="panel">
        <dl class="kv">
          <dt>To</dt>
          <dd>{file.to}</dd>
          <dt>From</dt>
          <dd>{file.from}</dd>
          {file.replyTo ? (
            <>
              <dt>Reply to</dt>
              <dd>{file.replyTo}</dd>
            </>
          ) : null}
          <dt>Date</dt>
          <dd>{at(file.date)}</dd>
          <dt>File</dt>
          <dd>
            <code>{file.name}</code>
          </dd>
        </dl>
      </section>
      {file.html !== null ? (
        <section class="panel" aria-labelledby="html-title">
          <h2 id="html-title">As the customer sees it</h2>
          {/* sandbox without allow-scripts or allow-same-origin: the email can neither run code nor reach the back office. */}
          <iframe class="mail-frame" src={`/admin/mail/files/${file.name}/html`} sandbox="" title={`Email: ${file.subject}`} referrerpolicy="no-referrer" />
        </section>
      ) : null}
      {file.text !== null ? (
        <details class="panel" open={file.html === null}>
          <summary>Plain-text version</summary>
          <pre class="mail-text">{file.text}</pre>
        </details>
      ) : null}
    </>
  );
}

export function MailFileNotFoundView({ smtp }: { smtp: boolean }) {
  return (
    <section class="panel narrow">
      <h1>Email not found</h1>
      <p>{smtp ? 'Emails go to the mail server (SMTP_URL is set), so no copies are kept here.' : 'This email is not in the mail folder (it may have been removed).'}</p>
      <p>
        <a href="/admin/mail">Back to mail</a>
      </p>
    </section>
  );
}
