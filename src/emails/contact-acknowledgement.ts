// Sent right after a message through the contact form: it arrived, and when to expect a reply.
import { type Template } from './content.ts';
import type { ContactAcknowledgementPayload } from '../domain/notifications/email-payloads.ts';

export const contactAcknowledgement: Template<ContactAcknowledgementPayload> = (p) => ({
  subject: `We received your message (case ${p.caseNumber})`,
  preheader: `Expect a reply by ${p.expectedReplyBy}.`,
  blocks: [
    { kind: 'heading', text: 'Thanks for getting in touch' },
    {
      kind: 'paragraph',
      text: [`Hi ${p.name}, your message has reached us. Someone from our team will reply by `, { strong: p.expectedReplyBy }, '.'],
    },
    {
      kind: 'facts',
      rows: [
        ['Case number', p.caseNumber],
        ['Topic', p.topic],
        ['Reply expected by', p.expectedReplyBy],
      ],
    },
    { kind: 'quote', label: 'Your message', text: p.message },
    {
      kind: 'paragraph',
      text: 'To add anything, reply to this email. Keeping the case number in the subject helps us find your conversation quickly.',
    },
  ],
});
