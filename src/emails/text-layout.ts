// The plain-text twin of every customer email (layout.tsx makes the HTML part): the same
// blocks as readable lines, links written out, and the same contact footer.
import type { Block, EmailContent, Inline } from './content.ts';
import { safeHref } from './content.ts';
import type { RenderContext } from '../domain/notifications/email-payloads.ts';
import { timeZoneLabel } from './layout.tsx';

export function inlineText(text: string | Inline[]): string {
  return (typeof text === 'string' ? [text] : text)
    .map((part) => {
      if (typeof part === 'string') return part;
      if ('strong' in part) return part.strong;
      const href = safeHref(part.href);
      // mailto: and tel: links already show their address as the label.
      if (!href || /^(mailto|tel):/i.test(href) || href === part.link) return part.link;
      return `${part.link} (${href})`;
    })
    .join('');
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return block.text;
    case 'paragraph':
      return inlineText(block.text);
    case 'section':
      return `${block.title.toUpperCase()}\n${'-'.repeat(block.title.length)}`;
    case 'button': {
      const href = safeHref(block.href);
      return href ? `${block.label}:\n${href}` : block.label;
    }
    case 'facts':
      return block.rows
        .filter((r): r is [string, string] => typeof r[1] === 'string' && r[1].trim() !== '')
        .map(([label, value]) => `${label}: ${value}`)
        .join('\n');
    case 'items': {
      const lines = block.lines.map((item) => {
        const out = [`${item.quantity} × ${item.name}`];
        for (const d of item.details ?? []) out.push(`    ${d}`);
        if (item.unitPrice && item.lineTotal) out.push(`    ${item.quantity} × ${item.unitPrice} = ${item.lineTotal}`);
        else if (item.lineTotal) out.push(`    ${item.lineTotal}`);
        return out.join('\n');
      });
      const totals = block.totals ?? [];
      const width = Math.max(0, ...totals.map((t) => t.label.length)) + 2;
      const totalLines = totals.map((t) => `${`${t.label}:`.padEnd(width)}${t.value}`);
      // Lines with details or prices need a blank line between them; bare lines read fine packed.
      const packed = block.lines.every((item) => !item.details?.length && !item.lineTotal);
      return [lines.join(packed ? '\n' : '\n\n'), ...(totalLines.length ? [totalLines.join('\n')] : [])].join('\n\n');
    }
    case 'steps':
      return block.steps.map((s, i) => `${i + 1}. ${s.title}: ${inlineText(s.text)}`).join('\n');
    case 'bullets':
      return block.items.map((i) => `- ${i}`).join('\n');
    case 'address':
      return [...block.lines, ...(block.extra ?? [])].join('\n');
    case 'quote':
      return `${block.label}:\n${block.text
        .split(/\r?\n/)
        .map((l) => `> ${l}`)
        .join('\n')}`;
    case 'note':
      return block.title ? `${block.title}\n${inlineText(block.text)}` : inlineText(block.text);
  }
}

export function renderText(content: EmailContent, ctx: RenderContext): string {
  const { storeName, contact, serviceHours } = ctx.settings;
  const home = safeHref(ctx.publicUrl);
  const parts = [
    storeName,
    ...content.blocks.map(blockText),
    [
      '-- ',
      storeName,
      contact.address,
      `Phone: ${contact.phone}`,
      `Email: ${contact.email}`,
      ...(home ? [home] : []),
      '',
      `Customer service hours (${timeZoneLabel(serviceHours.timeZone)}):`,
      ...ctx.serviceHoursLines.map((l) => `  ${l}`),
    ].join('\n'),
  ];
  return `${parts.filter((s) => s.trim() !== '').join('\n\n')}\n`;
}
