/* The demo storefront's own behaviour: a cart that works with every cookie refused (P18).
 * Measurements go through window.vowConsent.track, which sends nothing without analytics consent. */
(() => {
  let count = 0;
  let totalCents = 0;
  let currency = 'USD';
  const countEl = document.getElementById('cart-count');
  const totalEl = document.getElementById('cart-total');
  const statusEl = document.getElementById('order-status');
  // The page's words for the cart's messages (in its language), with English if they are missing.
  const store = document.querySelector('[data-testid=store]');
  const say = (key, fallback) => store?.getAttribute(`data-${key}`) || fallback;

  function money(cents) {
    return `$${(cents / 100).toFixed(2)}`;
  }
  function track(type, data) {
    if (window.vowConsent) window.vowConsent.track(type, data);
  }

  document.querySelectorAll('[data-add-to-cart]').forEach((b) => {
    b.addEventListener('click', () => {
      const cents = Number(b.getAttribute('data-value-cents'));
      currency = b.getAttribute('data-currency') || currency;
      count += 1;
      totalCents += cents;
      countEl.textContent = String(count);
      totalEl.textContent = money(totalCents);
      statusEl.textContent = say('added', 'Added to your cart.');
      track('add_to_cart', { valueCents: cents, currency: currency });
    });
  });

  document.getElementById('place-order').addEventListener('click', () => {
    if (count === 0) {
      statusEl.textContent = say('empty', 'Your cart is empty.');
      return;
    }
    track('order_completed', { valueCents: totalCents, currency: currency });
    statusEl.textContent = say('placed', 'Thank you: order of {n} item(s), {total}, placed.')
      .replace('{n}', String(count))
      .replace('{total}', money(totalCents));
    count = 0;
    totalCents = 0;
    countEl.textContent = '0';
    totalEl.textContent = money(0);
  });
})();
