// A reply written by staff to a support case. The body is the staff member's plain text.
import { type Template } from './content.ts';
import type { SupportReplyPayload } from '../domain/notifications/email-payloads.ts';

export const supportReply: Template<SupportReplyPayload> = (p, ctx) => ({
  subject: `Re: your case ${p.caseNumber}`,
  preheader: firstLine(p.body),
  blocks: [
    { kind: 'paragraph', text: `Hi ${p.name},` },
    // Blank lines in the staff text separate paragraphs; single newlines stay line breaks.
    ...p.body
      .trim()
      .split(/(?:\r?\n){2,}/)
      .map((para) => ({ kind: 'paragraph' as const, text: para })),
    { kind: 'paragraph', text: `${ctx.settings.storeName} customer service` },
    {
      kind: 'facts',
      rows: [
        ['Case number', p.caseNumber],
        ['Order number', p.orderNumber],
      ],
    },
    { kind: 'paragraph', muted: true, text: 'To answer, simply reply to this email.' },
  ],
});

const firstLine = (body: string) => {
  const line = body.trim().split(/\r?\n/)[0] ?? '';
  return line.length > 110 ? `${line.slice(0, 107)}…` : line;
};
