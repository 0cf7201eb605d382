// "Email me a sign-in link" from the My orders page. Sent whether or not any order uses the
// address, so the page cannot be used to learn who has ordered; without orders it says so.
import { type Template } from './content.ts';
import type { CustomerSignInPayload } from '../domain/notifications/email-payloads.ts';

export const customerSignIn: Template<CustomerSignInPayload> = (p, ctx) =>
  p.signInUrl
    ? {
        subject: `Your sign-in link for ${ctx.settings.storeName}`,
        preheader: `It works once, for ${p.expiresInMinutes} minutes.`,
        blocks: [
          { kind: 'heading', text: 'Sign in to see your orders' },
          { kind: 'paragraph', text: 'Use the button to see every order placed with this email address, follow its delivery and order again.' },
          { kind: 'button', label: 'Sign in to My orders', href: p.signInUrl },
          {
            kind: 'paragraph',
            muted: true,
            text: `The link works once and for ${p.expiresInMinutes} minutes, on any device. If you did not ask for it, you can ignore this email: nobody can sign in without it.`,
          },
        ],
      }
    : {
        subject: `About your sign-in request at ${ctx.settings.storeName}`,
        preheader: 'We have no orders placed with this email address.',
        blocks: [
          { kind: 'heading', text: 'No orders with this address' },
          {
            kind: 'paragraph',
            text: 'Someone asked for a link to see the orders placed with this email address, but we have none. If you ordered with another address or with your phone number, ask again with that one.',
          },
          { kind: 'paragraph', muted: true, text: 'If you did not ask, you can ignore this email.' },
        ],
      };
