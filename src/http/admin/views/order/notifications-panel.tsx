// Emails to the customer about this order, with their delivery state.
import { humanize, StatusBadge } from '../display.tsx';
import type { PanelProps } from './order-page-data.ts';

export function Notifications({ detail, at }: PanelProps) {
  return (
    <section class="panel" aria-labelledby="mail-title">
      <h2 id="mail-title">Emails to the customer</h2>
      {detail.notifications.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <ul class="plain records">
          {detail.notifications.map((n) => (
            <li>
              <p>
                {n.subject ?? humanize(n.template)} <StatusBadge kind="mail-" status={n.status} label={n.status === 'pending' ? 'Queued' : undefined} />
              </p>
              <p class="muted">
                {n.recipient} · {n.sentAt ? `sent ${at(n.sentAt)}` : `queued ${at(n.createdAt)}`}
                {n.attempts > 1 ? ` · ${n.attempts} attempts` : ''}
              </p>
              {n.lastError && n.status !== 'sent' ? <p class="field-error">{n.lastError}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
