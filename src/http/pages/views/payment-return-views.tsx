// The page a shopper sees when they are back from the payment page before the payment is confirmed.
export function PaymentPendingView({ retryUrl, problem, checkoutUrl }: { retryUrl?: string; problem?: string; checkoutUrl: string }) {
  if (problem) {
    return (
      <section class="panel narrow">
        <h1>Your payment did not go through</h1>
        <div class="alert alert-error" role="alert">
          <p>{problem} Nothing was charged and no order was placed.</p>
        </div>
        <p>
          {retryUrl ? (
            <>
              <a class="button" href={retryUrl}>
                Try paying again
              </a>{' '}
            </>
          ) : null}
          <a class="button secondary" href={checkoutUrl}>
            Back to checkout
          </a>
        </p>
      </section>
    );
  }
  return (
    <section class="panel narrow" aria-live="polite">
      <h1>Confirming your payment…</h1>
      <p>The payment provider is confirming your payment. This page refreshes by itself; your order number appears as soon as the payment is confirmed.</p>
      <p class="hint">
        You can also close this page: once the payment is confirmed we email you the order number and receipt. If you left the payment page without paying,{' '}
        <a href={checkoutUrl}>go back to checkout</a>.
      </p>
    </section>
  );
}
