// Policy pages, written from the shop's facts and current settings (rates, windows,
// hours), so they never disagree with what the store actually does.
import type { StoreSettings } from '../../../domain/settings/store-settings.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { telHref } from '../../../domain/shared/phone.ts';
import { describeWeeklyHours } from '../../../domain/support/service-hours.ts';

export const POLICIES = {
  'order-information': 'Order information',
  shipping: 'Shipping',
  returns: 'Returns and refunds',
  privacy: 'Privacy',
} as const;
export type PolicySlug = keyof typeof POLICIES;

/** Each policy's one-sentence summary: the page's meta description, which search engines show under its title. */
export const policyDescription = (slug: PolicySlug, s: StoreSettings): string =>
  ({
    'order-information': `How ordering at ${s.storeName} works: checkout and payment, confirmation, how we process and track your order, and changing or cancelling it before it ships.`,
    shipping: `Shipping from ${s.storeName}: where we ship, delivery methods, times and prices, and sales tax.`,
    returns: `Returns, exchanges and refunds at ${s.storeName}: apply within ${s.returns.windowDays} days of delivery; how returns and refunds work.`,
    privacy: `What personal data ${s.storeName} keeps to deliver your order, why, who sees it, the cookies we use, and how to see, correct or delete it.`,
  })[slug];

const ContactBlock = ({ s }: { s: StoreSettings }) => (
  <ul>
    <li>Address: {s.contact.address}</li>
    <li>
      Phone: <a href={telHref(s.contact.phone)}>{s.contact.phone}</a>
    </li>
    <li>
      Email: <a href={`mailto:${s.contact.email}`}>{s.contact.email}</a>
    </li>
    <li>Hours (US Eastern time): {describeWeeklyHours(s.serviceHours).join('; ')}</li>
  </ul>
);

export function PolicyView({ slug, s }: { slug: PolicySlug; s: StoreSettings }) {
  const std = s.shipping.methods.standard;
  const exp = s.shipping.methods.express;
  const taxStates = Object.entries(s.taxRates)
    .map(([state, bp]) => `${state} ${(bp / 100).toFixed(bp % 100 ? 2 : 0)}%`)
    .join(', ');
  return (
    <article class="policy">
      <nav aria-label="Policies" class="breadcrumb">
        {Object.entries(POLICIES).map(([key, title], i) => (
          <>
            {i ? ' · ' : ''}
            {key === slug ? <span aria-current="page">{title}</span> : <a href={`/policies/${key}`}>{title}</a>}
          </>
        ))}
      </nav>
      <h1>{POLICIES[slug]}</h1>
      {slug === 'order-information' ? (
        <>
          <p>This page walks through what happens from the moment you add something to your cart until it reaches you, and what you can do along the way.</p>
          <h2>Placing an order</h2>
          <p>
            Each product page shows pictures, the specifications and the price of every option. Add what you like to your cart, then go to checkout: we ask for a
            shipping address, an email address and a phone number, show you every product and quantity once more, and take payment. Your order is created only when
            the payment goes through — a declined card never creates an order or reserves stock.
          </p>
          <h2>Confirmation</h2>
          <p>
            As soon as payment succeeds you see your order number (it looks like {s.orderNumberPrefix}7K3M-9QX2) and we email a confirmation with the products, the
            amounts and the payment record. Keep that email: it is your reference for the order.
          </p>
          <h2>How we process it</h2>
          <p>
            A member of our team first verifies the order (address, contact details and payment). We then prepare the products, check them and pack them, and hand
            the parcel to the carrier with a tracking number. How long this takes depends on how many orders are waiting and on our warehouse hours; the tracking
            page shows an estimate.
          </p>
          <h2>Tracking</h2>
          <p>
            Open <a href="/track">Track order</a> and enter your order number with the email address <em>or</em> the phone number you used at checkout. You will see
            each stage with its time, the carrier and tracking number once shipped, and the carrier’s updates.
          </p>
          <h2>Changing or cancelling</h2>
          <p>
            Until the parcel is handed to the carrier you can ask us to change the shipping address, lower a quantity, remove an item or cancel — from the tracking
            page or by contacting us. Early cancellations are approved at once and refunded in full; once an order has shipped it can no longer be changed or
            cancelled, but you can return it after delivery.
          </p>
          <h2>When the parcel arrives</h2>
          <p>
            Please look at the outer packaging before you sign for it and check that the number of items matches your order. If something is damaged, missing or
            wrong, use “Report a problem” on the tracking page or contact us, and we will sort it out.
          </p>
          <h2>After-sales</h2>
          <p>
            Returns, exchanges and refunds are explained in our <a href="/policies/returns">returns and refunds policy</a>; apply on the <a href="/returns">returns
            page</a> with your order number and a short description of the product’s condition.
          </p>
          <h2>Contact us</h2>
          <ContactBlock s={s} />
        </>
      ) : slug === 'shipping' ? (
        <>
          <p>We ship to addresses in the United States and its territories.</p>
          <table class="table">
            <caption class="visually-hidden">Shipping methods</caption>
            <thead>
              <tr>
                <th scope="col">Method</th>
                <th scope="col">Delivery time after handover</th>
                <th scope="col" class="num">
                  Price
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>{std.label}</td>
                <td>{std.days}</td>
                <td class="num">
                  {formatMoney(std.rate)}
                  {s.shipping.freeStandardFrom != null ? `, free from ${formatMoney(s.shipping.freeStandardFrom)}` : ''}
                </td>
              </tr>
              <tr>
                <td>{exp.label}</td>
                <td>{exp.days}</td>
                <td class="num">{formatMoney(exp.rate)}</td>
              </tr>
            </tbody>
          </table>
          <p>
            Delivery times count from the day the parcel is handed to the carrier. Before that, every order is verified, prepared and packed by our team on working
            days; the tracking page shows an estimate for your order.
          </p>
          <p>Sales tax is added where we are required to collect it ({taxStates || 'none at present'}).</p>
          <p>You receive an email with the carrier and tracking number when your parcel ships, and another when it is delivered.</p>
        </>
      ) : slug === 'returns' ? (
        <>
          <p>
            If something is not right, you can apply for a return, an exchange or a refund within {s.returns.windowDays} days of delivery on the{' '}
            <a href="/returns">returns page</a>. You will need your order number, the email address or phone number used for the order, and a short description of
            the product’s condition; photos help us decide faster.
          </p>
          <h2>How it works</h2>
          <ol>
            <li>You apply and receive a case number by email.</li>
            <li>We review the application. If approved, you receive a return authorization (RMA) number and instructions.</li>
            <li>
              Send the products to {s.contact.address}, with the RMA number written on the parcel. For items that arrived missing or unusable, we may refund without
              a return.
            </li>
            <li>
              When the products arrive we inspect them and refund the price you paid plus its sales tax to the original card
              {s.returns.refundShipping ? ', including the shipping charge' : '; the original shipping charge is not refunded unless the mistake was ours'}
              {s.returns.restockingFeeBp ? `, less a restocking fee of ${s.returns.restockingFeeBp / 100}%` : ''}. For an exchange we ship the replacement instead.
            </li>
          </ol>
          <p>Refunds go back to the card used for the order. Your bank may take a few days to show it.</p>
          <p>
            Orders that have not shipped yet can simply be cancelled: see <a href="/policies/order-information">order information</a>.
          </p>
        </>
      ) : (
        <>
          <p>We collect only what we need to deliver your order and help you with it.</p>
          <ul>
            <li>
              <strong>What we keep:</strong> your name, shipping address, email address and phone number, what you ordered, and a record of your payment (card
              brand, the last four digits, the expiry date and the processor’s transaction id). We never store your full card number or security code.
            </li>
            <li>
              <strong>Why:</strong> to process, ship and track your order, to send you messages about it, and to handle returns, refunds and questions.
            </li>
            <li>
              <strong>Who sees it:</strong> our staff, the carrier (name, address and phone for delivery) and the payment processor. We do not sell your data.
            </li>
            <li>
              <strong>Tracking:</strong> the tracking page shows order details only to someone who knows both the order number and its email address or phone number,
              and hides most of your personal data even then.
            </li>
            <li>
              <strong>Cookies:</strong> one to remember your cart, and, for staff, one to keep them signed in. No advertising or analytics cookies.
            </li>
          </ul>
          <p>To see, correct or delete your data, contact us:</p>
          <ContactBlock s={s} />
        </>
      )}
    </article>
  );
}
