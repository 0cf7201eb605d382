// To the store's owners: an endpoint kept failing and was switched off, so its receiver (an
// accounting tool, a warehouse system) hears nothing until someone fixes it and re-enables it.
import type { Template } from './content.ts';
import type { WebhookDisabledPayload } from '../domain/notifications/email-payloads.ts';

export const webhookDisabled: Template<WebhookDisabledPayload> = (p) => ({
  subject: 'A webhook endpoint was disabled after repeated failures',
  preheader: `${p.url} stopped receiving events.`,
  blocks: [
    { kind: 'heading', text: 'A webhook endpoint was disabled' },
    { kind: 'paragraph', text: `${p.reason} Events are no longer sent to it.` },
    { kind: 'facts', rows: [['Endpoint', p.url]] },
    {
      kind: 'paragraph',
      text: 'Check that the receiving service is up and answers with a 2xx status within 10 seconds, then re-enable the endpoint. Deliveries that failed can be sent again from its delivery log with “Resend”.',
    },
    { kind: 'button', label: 'Open the endpoint', href: p.manageUrl },
  ],
});
