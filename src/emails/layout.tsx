// The shared look of every customer email: the frame around its content blocks (those are
// html-blocks.tsx, the colours html-style.ts; the plain-text twin is text-layout.ts).
// HTML: tables, inline styles and system fonts, because mail apps ignore most of CSS;
// 600px wide at most; on phones a small media query trims padding and widens the button.
// Everything from a payload goes through Preact, which escapes it; the only raw strings
// joined in here are the constants of the document shell.
import { render } from 'preact-render-to-string';
import type { EmailContent } from './content.ts';
import { safeHref } from './content.ts';
import { telHref } from '../domain/shared/phone.ts';
import type { RenderContext } from '../domain/notifications/email-payloads.ts';
import { BlockHtml } from './html-blocks.tsx';
import { color, p } from './html-style.ts';

/** "US Eastern time" for the shop's own zone; other zones are named as they are. */
export function timeZoneLabel(zone: string): string {
  return zone === 'America/New_York' ? 'US Eastern time' : zone.replace(/_/g, ' ');
}

function Footer({ ctx }: { ctx: RenderContext }) {
  const { storeName, contact, serviceHours } = ctx.settings;
  const home = safeHref(ctx.publicUrl);
  const small = p(13, 20, color.muted);
  return (
    <td class="px" style="padding:24px 32px 8px">
      <p style={`${p(14, 20)};font-weight:700;margin-bottom:4px`}>{storeName}</p>
      <p style={small}>{contact.address}</p>
      {/* One line each: on a phone, a shared line would break after its separator. */}
      <p style={small}>
        <a href={telHref(contact.phone)} style={`color:${color.muted};text-decoration:none;white-space:nowrap`}>
          {contact.phone}
        </a>
      </p>
      <p style={small}>
        <a href={`mailto:${contact.email}`} style={`color:${color.muted};text-decoration:underline`}>
          {contact.email}
        </a>
      </p>
      <p style={`${small};margin-top:14px;font-weight:600;color:${color.text}`}>Customer service hours</p>
      {ctx.serviceHoursLines.map((line) => (
        <p style={small}>{line}</p>
      ))}
      <p style={small}>All times are {timeZoneLabel(serviceHours.timeZone)}.</p>
      <p style={`${p(12, 18, color.muted)};margin-top:14px`}>
        This is a service email about your order or request with {storeName}
        {home ? (
          <>
            {' at '}
            <a href={home} style={`color:${color.muted};text-decoration:underline`}>
              {home.replace(/^https?:\/\//i, '').replace(/\/$/, '')}
            </a>
          </>
        ) : null}
        .
      </p>
    </td>
  );
}

function Preheader({ text }: { text: string }) {
  return (
    <div style={`display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;font-size:1px;line-height:1px;color:${color.page}`}>
      {text}
      {'\u200c\u00a0'.repeat(60)}
    </div>
  );
}

/** The 600px column: header, content card, footer. */
function Container({ content, ctx }: { content: EmailContent; ctx: RenderContext }) {
  const home = safeHref(ctx.publicUrl);
  const name = ctx.settings.storeName;
  const wordmark = `${p(20, 26, color.accent)};font-weight:700;letter-spacing:0.01em;text-decoration:none`;
  return (
    <table role="presentation" width="100%" cellPadding="0" cellSpacing="0" style="border-collapse:collapse;width:100%;max-width:600px">
      <tr>
        <td>
          <table
            role="presentation"
            width="100%"
            cellPadding="0"
            cellSpacing="0"
            style={`border-collapse:separate;background-color:${color.card};border:1px solid ${color.border};border-top:4px solid ${color.accent};border-radius:8px`}
          >
            <tr>
              <td class="px" style={`padding:22px 32px 20px;border-bottom:1px solid ${color.rule}`}>
                {home ? (
                  <a href={home} style={wordmark}>
                    {name}
                  </a>
                ) : (
                  <span style={wordmark}>{name}</span>
                )}
              </td>
            </tr>
            <tr>
              <td class="px content" style="padding:32px 32px 16px">
                {content.blocks.map((b) => (
                  <BlockHtml block={b} />
                ))}
              </td>
            </tr>
          </table>
        </td>
      </tr>
      <tr>
        <Footer ctx={ctx} />
      </tr>
    </table>
  );
}

// Constants only: no payload text is ever joined into these strings.
const css = [
  'body{margin:0;padding:0;width:100%;-webkit-text-size-adjust:100%;-ms-text-size-adjust:100%}',
  'table,td{mso-table-lspace:0pt;mso-table-rspace:0pt}',
  'img{border:0;outline:none;text-decoration:none}',
  'a[x-apple-data-detectors]{color:inherit;text-decoration:none}',
  '@media only screen and (max-width:620px){',
  '.outer{padding:16px 8px !important}',
  '.px{padding-left:20px !important;padding-right:20px !important}',
  '.content{padding-top:24px !important}',
  'h1{font-size:22px !important;line-height:30px !important}',
  // Facts stack on phones, label over value, so dates and transaction ids are not chopped up.
  '.fact-label{display:block !important;padding:10px 0 0 !important;font-size:13px !important;line-height:18px !important}',
  '.fact-value{display:block !important;padding:2px 0 10px !important;border-top:0 !important;text-align:left !important}',
  // On phones the button spans the column: an easy target for a thumb.
  '.button-table{width:100% !important}',
  '.button{display:block !important;text-align:center !important}',
  '}',
].join('\n');

export function renderHtml(content: EmailContent, ctx: RenderContext): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en" xmlns="http://www.w3.org/1999/xhtml">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta http-equiv="X-UA-Compatible" content="IE=edge">',
    '<meta name="color-scheme" content="light">',
    '<meta name="supported-color-schemes" content="light">',
    render(<title>{content.subject}</title>),
    `<style>\n${css}\n</style>`,
    '</head>',
    `<body style="margin:0;padding:0;background-color:${color.page}">`,
    render(<Preheader text={content.preheader} />),
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;background-color:${color.page}">`,
    '<tr><td align="center" class="outer" style="padding:32px 12px">',
    // Outlook for Windows ignores max-width: a fixed 600px table holds the column there.
    '<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0"><tr><td><![endif]-->',
    render(<Container content={content} ctx={ctx} />),
    '<!--[if mso]></td></tr></table><![endif]-->',
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
