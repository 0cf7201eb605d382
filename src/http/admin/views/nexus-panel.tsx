// The dashboard's economic-nexus meter: this year's sales into each state against the
// threshold above which that state expects the shop to register and collect its tax.
import type { NexusState } from '../../../domain/reporting/tax-report.ts';
import { US_STATES } from '../../../domain/checkout/us-states.ts';
import { formatMoney } from '../../../domain/shared/money.ts';

/** States shown: the nearest to their thresholds. */
const SHOWN = 8;

export function NexusPanel({ states, currency }: { states: NexusState[]; currency: string }) {
  return (
    <section class="panel" aria-labelledby="nexus-title">
      <h2 id="nexus-title">Sales tax: economic nexus this year</h2>
      <p class="hint">
        Sales shipped to each state since January 1 against its threshold (Settings › Sales tax). Past 100%, register with the state and add its rate. <a href="/admin/reports/tax">Tax collected by state</a>
      </p>
      {states.length === 0 ? (
        <p class="empty">No sales yet this year.</p>
      ) : (
        <ul class="plain nexus-list">
          {states.slice(0, SHOWN).map((s) => {
            const percent = Math.round(s.progress * 100);
            const name = US_STATES[s.state as keyof typeof US_STATES] ?? s.state;
            return (
              <li>
                <span class="nexus-state">
                  {name}
                  {s.collecting ? <span class="pill pill-ok">Collecting</span> : percent >= 100 ? <span class="pill pill-warn">Threshold passed</span> : null}
                </span>
                <meter min={0} max={100} low={70} high={90} optimum={0} value={Math.min(percent, 100)} aria-label={`${name}: ${percent}% of the nexus threshold`}>
                  {percent}%
                </meter>
                <span class="muted">
                  {formatMoney(s.sales, currency)} of {formatMoney(s.salesThreshold, currency)}
                  {s.transactionThreshold ? ` · ${s.transactions} of ${s.transactionThreshold} orders` : ''} ({percent}%)
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
