// The shipping zones, state tax rules and nexus thresholds as the owner types them, one
// line each, and back:
//   zone:      "Nearby: WV OH PA | up to 1 kg 5.95 / 14.95 | over 9.95 / 24.95 | free from 50"
//   tax rule:  "WV: shipping taxed; exempt groceries"
//   nexus:     "CA 500000" or "NY 500000 100" (dollars of sales, then transactions)
// Each reader returns the value or a message naming the line that could not be read.
import { gramsOf } from '../../domain/checkout/shipping-rates.ts';
import { isUsState } from '../../domain/checkout/us-states.ts';
import type { ShippingZone, StoreSettings } from '../../domain/settings/store-settings.ts';
import { isTaxCategory, TAX_CATEGORY_NAMES } from '../../domain/tax/tax-table.ts';
import { centsOf } from './catalog-form.ts';

export const dollars = (cents: number) => (cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2));

const weightText = (grams: number) => (grams % 1000 === 0 ? `${grams / 1000} kg` : `${grams} g`);

export function zonesToText(zones: ShippingZone[]): string {
  return zones
    .map((z) => {
      const parts = [`${z.name}: ${z.states.join(' ')}`];
      for (const b of z.brackets) parts.push(`${b.upToGrams === null ? 'over' : `up to ${weightText(b.upToGrams)}`} ${dollars(b.standard)} / ${dollars(b.express)}`);
      if (z.freeStandardFrom !== undefined) parts.push(z.freeStandardFrom === null ? 'never free' : `free from ${dollars(z.freeStandardFrom)}`);
      return parts.join(' | ');
    })
    .join('\n');
}

const ZONE_EXAMPLE = 'e.g. Nearby: WV OH PA | up to 1 kg 5.95 / 14.95 | over 9.95 / 24.95 | free from 50';

export function parseZones(value: string): ShippingZone[] | string {
  const zones: ShippingZone[] = [];
  const seen = new Set<string>();
  for (const line of value.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [head, ...parts] = line.split('|').map((p) => p.trim());
    const m = /^([^:]{1,60}):\s*(.+)$/.exec(head ?? '');
    if (!m) return `“${line}”: start with the zone's name, a colon and its states, ${ZONE_EXAMPLE}.`;
    const states = m[2]!.toUpperCase().split(/[\s,]+/).filter(Boolean);
    const unknown = states.find((s) => !isUsState(s));
    if (unknown) return `“${line}”: ${unknown} is not a US state code.`;
    const twice = states.find((s) => seen.has(s));
    if (twice) return `${twice} is in two zones: put each state in one zone only.`;
    states.forEach((s) => seen.add(s));
    const zone: ShippingZone = { name: m[1]!.trim(), states, brackets: [] };
    for (const part of parts) {
      const free = /^free from\s+(.+)$/i.exec(part);
      if (free) {
        const cents = centsOf(free[1]!, '50');
        if (typeof cents === 'string') return `“${part}”: ${cents}`;
        zone.freeStandardFrom = cents;
        continue;
      }
      if (/^never free$/i.test(part)) {
        zone.freeStandardFrom = null;
        continue;
      }
      const b = /^(?:up to\s+(.+?)|over)\s+(\S+)\s*\/\s*(\S+)$/i.exec(part);
      const upTo = b?.[1] === undefined ? null : gramsOf(b[1]);
      const standard = b ? centsOf(b[2]!) : '';
      const express = b ? centsOf(b[3]!) : '';
      if (!b || upTo === undefined || typeof standard === 'string' || typeof express === 'string') {
        return `“${part}” in zone ${zone.name}: write a weight bracket as “up to 2 kg 6.95 / 16.95” (standard / express) or “over 12.95 / 29.95”.`;
      }
      zone.brackets.push({ upToGrams: upTo, standard, express });
    }
    if (zone.brackets.at(-1)?.upToGrams !== null) return `Zone ${zone.name}: end with an “over …” bracket so heavier parcels have a price too.`;
    zones.push(zone);
  }
  return zones;
}

export function taxRulesToText(rules: StoreSettings['taxRules']): string {
  return Object.entries(rules)
    .map(([state, r]) => [r.shippingTaxable ? 'shipping taxed' : '', r.exemptCategories.length ? `exempt ${r.exemptCategories.join(', ')}` : ''].filter(Boolean).join('; ').replace(/^/, `${state}: `))
    .join('\n');
}

export function parseTaxRules(value: string): StoreSettings['taxRules'] | string {
  const rules: StoreSettings['taxRules'] = {};
  for (const line of value.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const m = /^([A-Za-z]{2})\s*:\s*(.*)$/.exec(line);
    const state = m?.[1]!.toUpperCase();
    if (!m || !state || !isUsState(state)) return `“${line}”: start with a state code and a colon, e.g. WV: shipping taxed; exempt groceries.`;
    const rule: StoreSettings['taxRules'][string] = { shippingTaxable: false, exemptCategories: [] };
    for (const part of m[2]!.split(';').map((p) => p.trim().toLowerCase()).filter(Boolean)) {
      if (part === 'shipping taxed') rule.shippingTaxable = true;
      else if (part === 'shipping not taxed') rule.shippingTaxable = false;
      else if (part.startsWith('exempt ')) {
        for (const c of part.slice(7).split(/[\s,]+/).filter(Boolean)) {
          if (!isTaxCategory(c)) return `“${line}”: ${c} is not a tax category (use ${TAX_CATEGORY_NAMES.join(', ')}).`;
          if (!rule.exemptCategories.includes(c)) rule.exemptCategories.push(c);
        }
      } else return `“${line}”: “${part}” is not understood; write “shipping taxed” and/or “exempt groceries, clothing”.`;
    }
    rules[state] = rule;
  }
  return rules;
}

export function nexusStatesToText(states: StoreSettings['nexus']['states']): string {
  return Object.entries(states)
    .map(([state, t]) => `${state} ${dollars(t.sales)}${t.transactions === null ? '' : ` ${t.transactions}`}`)
    .join('\n');
}

export function parseNexusStates(value: string): StoreSettings['nexus']['states'] | string {
  const states: StoreSettings['nexus']['states'] = {};
  for (const line of value.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const m = /^([A-Za-z]{2})\s+(\S+)(?:\s+(\d{1,6}))?$/.exec(line);
    const state = m?.[1]!.toUpperCase();
    const sales = m ? centsOf(m[2]!, '500000') : '';
    if (!m || !state || !isUsState(state) || typeof sales === 'string') return `“${line}”: write a state code, the sales threshold in dollars and optionally a number of transactions, e.g. NY 500000 100.`;
    states[state] = { sales, transactions: m[3] ? Number(m[3]) : null };
  }
  return states;
}
