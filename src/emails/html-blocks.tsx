// The content blocks of a customer email as HTML tables with inline styles, each block as
// text-layout.ts writes it in plain text; Preact escapes all that comes from a payload.
import type { ComponentChildren } from 'preact';
import type { Block, Inline, ItemLine } from './content.ts';
import { safeHref } from './content.ts';
import { color, font, p } from './html-style.ts';

const Text = ({ text }: { text: string | Inline[] }) => (
  <>
    {(typeof text === 'string' ? [text] : text).map((part) =>
      typeof part === 'string' ? (
        <Lines text={part} />
      ) : 'strong' in part ? (
        <strong style={`font-weight:600;color:${color.text}`}>{part.strong}</strong>
      ) : (
        <Link href={part.href}>{part.link}</Link>
      ),
    )}
  </>
);

/** A string whose newlines become line breaks. */
const Lines = ({ text }: { text: string }) => (
  <>
    {text.split(/\r?\n/).map((line, i) => (
      <>
        {i > 0 && <br />}
        {line}
      </>
    ))}
  </>
);

const Link = ({ href, children }: { href: string; children: ComponentChildren }) => {
  const safe = safeHref(href);
  return safe ? (
    // Phone numbers must not break across lines.
    <a href={safe} style={`color:${color.accent};text-decoration:underline${safe.startsWith('tel:') ? ';white-space:nowrap' : ''}`}>
      {children}
    </a>
  ) : (
    <>{children}</>
  );
};

/** A full-width, presentation-only table: the building brick of email layout. */
const Grid = ({ style = '', children }: { style?: string; children: ComponentChildren }) => (
  <table role="presentation" width="100%" cellPadding="0" cellSpacing="0" style={`border-collapse:collapse;${style}`}>
    {children}
  </table>
);

function Button({ label, href }: { label: string; href: string }) {
  const safe = safeHref(href);
  if (!safe) return <p style={`${p(15, 24)};margin:0 0 24px`}>{label}</p>;
  return (
    <table role="presentation" cellPadding="0" cellSpacing="0" class="button-table" style="border-collapse:separate;margin:4px 0 28px">
      <tr>
        <td style={`border-radius:6px;background-color:${color.accent}`}>
          <a
            href={safe}
            class="button"
            style={`display:inline-block;padding:13px 28px;font-family:${font};font-size:15px;line-height:20px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px`}
          >
            {label}
          </a>
        </td>
      </tr>
    </table>
  );
}

function Facts({ rows }: { rows: Array<[string, string | null | undefined]> }) {
  const shown = rows.filter((r): r is [string, string] => typeof r[1] === 'string' && r[1].trim() !== '');
  return (
    <Grid style="margin:0 0 24px">
      {shown.map(([label, value], i) => (
        <tr>
          <td
            class="fact-label"
            style={`padding:9px 16px 9px 0;${i > 0 ? `border-top:1px solid ${color.rule};` : ''}vertical-align:top;font-family:${font};font-size:14px;line-height:20px;color:${color.muted};white-space:nowrap`}
          >
            {label}
          </td>
          <td
            class="fact-value"
            style={`padding:9px 0;${i > 0 ? `border-top:1px solid ${color.rule};` : ''}vertical-align:top;text-align:right;font-family:${font};font-size:14px;line-height:20px;color:${color.text};font-weight:500;word-break:break-word;overflow-wrap:anywhere`}
          >
            {value}
          </td>
        </tr>
      ))}
    </Grid>
  );
}

function Items({ lines, totals }: { lines: ItemLine[]; totals?: Array<{ label: string; value: string; total?: boolean }> }) {
  const cell = `border-bottom:1px solid ${color.rule};vertical-align:top`;
  return (
    <Grid style="margin:0 0 24px">
      {lines.map((item, i) => (
        <tr>
          <td style={`padding:${i === 0 ? 4 : 14}px 0 14px;${cell}`}>
            <p style={`${p(15, 22)};font-weight:600`}>{item.name}</p>
            {(item.details ?? []).map((d) => (
              <p style={p(13, 19, color.muted)}>{d}</p>
            ))}
            <p style={`${p(13, 19, color.muted)};margin-top:2px`}>
              {item.unitPrice ? `Qty ${item.quantity} × ${item.unitPrice}` : `Qty ${item.quantity}`}
            </p>
          </td>
          <td style={`padding:${i === 0 ? 4 : 14}px 0 14px 16px;${cell};text-align:right;white-space:nowrap`}>
            {item.lineTotal && <p style={`${p(15, 22)};font-weight:600`}>{item.lineTotal}</p>}
          </td>
        </tr>
      ))}
      {(totals ?? []).map((t, i, all) => {
        if (t.total) {
          const cellStyle = `padding:12px 0 0;border-top:2px solid ${color.text};${p(17, 24)};font-weight:700`;
          return (
            <tr>
              <td style={cellStyle}>{t.label}</td>
              <td style={`${cellStyle};text-align:right;white-space:nowrap`}>{t.value}</td>
            </tr>
          );
        }
        // Air above the first line and below the last one before the total's rule.
        const pad = `padding:${i === 0 ? 14 : 4}px 0 ${all[i + 1]?.total ? 12 : 4}px`;
        return (
          <tr>
            <td style={`${pad};${p(14, 20, color.muted)}`}>{t.label}</td>
            <td style={`${pad};text-align:right;white-space:nowrap;${p(14, 20)}`}>{t.value}</td>
          </tr>
        );
      })}
    </Grid>
  );
}

function Steps({ steps }: { steps: Array<{ title: string; text: string | Inline[] }> }) {
  return (
    <Grid style="margin:0 0 20px">
      {steps.map((s, i) => (
        <tr>
          <td width="40" style="width:40px;padding:0 0 16px;vertical-align:top">
            <div
              style={`width:26px;height:26px;border-radius:13px;background-color:${color.tint};color:${color.accent};text-align:center;font-family:${font};font-size:13px;line-height:26px;font-weight:700`}
            >
              {i + 1}
            </div>
          </td>
          <td style="padding:2px 0 16px;vertical-align:top">
            <p style={`${p(15, 22)};font-weight:600`}>{s.title}</p>
            <p style={p(14, 21, color.muted)}>
              <Text text={s.text} />
            </p>
          </td>
        </tr>
      ))}
    </Grid>
  );
}

function Bullets({ items }: { items: string[] }) {
  return (
    <Grid style="margin:0 0 18px">
      {items.map((item) => (
        <tr>
          <td width="20" style={`width:20px;padding:0 0 8px;vertical-align:top;${p(15, 24, color.accent)};font-weight:700`}>
            •
          </td>
          <td style={`padding:0 0 8px;vertical-align:top;${p(15, 24)}`}>{item}</td>
        </tr>
      ))}
    </Grid>
  );
}

const Boxed = ({ bg, rule, children }: { bg: string; rule: string; children: ComponentChildren }) => (
  <Grid style="margin:0 0 24px">
    <tr>
      <td style={`padding:14px 18px;background-color:${bg};border-left:3px solid ${rule};border-radius:4px`}>{children}</td>
    </tr>
  </Grid>
);

export function BlockHtml({ block }: { block: Block }) {
  switch (block.kind) {
    case 'heading':
      return <h1 style={`${p(24, 32)};font-weight:700;margin:0 0 14px`}>{block.text}</h1>;
    case 'paragraph':
      return (
        <p style={`${p(block.muted ? 14 : 15, block.muted ? 21 : 24, block.muted ? color.muted : color.text)};margin:0 0 16px`}>
          <Text text={block.text} />
        </p>
      );
    case 'section':
      return (
        <h2
          style={`${p(13, 18, color.accent)};font-weight:700;letter-spacing:0.06em;text-transform:uppercase;margin:20px 0 12px;padding:0 0 8px;border-bottom:1px solid ${color.rule}`}
        >
          {block.title}
        </h2>
      );
    case 'button':
      return <Button label={block.label} href={block.href} />;
    case 'facts':
      return <Facts rows={block.rows} />;
    case 'items':
      return <Items lines={block.lines} totals={block.totals} />;
    case 'steps':
      return <Steps steps={block.steps} />;
    case 'bullets':
      return <Bullets items={block.items} />;
    case 'address':
      return (
        <div style="margin:0 0 24px">
          <p style={p(15, 23)}>
            <Lines text={block.lines.join('\n')} />
          </p>
          {block.extra && block.extra.length > 0 && (
            <p style={`${p(14, 21, color.muted)};margin-top:6px`}>
              <Lines text={block.extra.join('\n')} />
            </p>
          )}
        </div>
      );
    case 'quote':
      return (
        <Boxed bg={color.quote} rule={color.quoteRule}>
          <p style={`${p(12, 18, color.muted)};font-weight:600;letter-spacing:0.04em;text-transform:uppercase;margin-bottom:6px`}>
            {block.label}
          </p>
          <p style={`${p(15, 23)};word-break:break-word`}>
            <Lines text={block.text} />
          </p>
        </Boxed>
      );
    case 'note':
      return (
        <Boxed bg={color.tint} rule={color.accent}>
          {block.title && <p style={`${p(15, 22, color.accent)};font-weight:700;margin-bottom:4px`}>{block.title}</p>}
          <p style={p(14, 22)}>
            <Text text={block.text} />
          </p>
        </Boxed>
      );
  }
}
