/* The demo storefront's own behaviour: a cart that works with every cookie refused (P18).
 * Measurements go through window.vowConsent.track, which sends nothing without analytics consent. */
(() => {
  let count = 0;
  let totalCents = 0;
  let currency = 'USD';
  const countEl = document.getElementById('cart-count');
  const unitEl = document.getElementById('cart-unit');
  const totalEl = document.getElementById('cart-total');
  const statusEl = document.getElementById('order-status');
  // The page's words for the cart's messages (in its language), with English if they are missing.
  const store = document.querySelector('[data-testid=store]');
  const say = (key, fallback) => store?.getAttribute(`data-${key}`) || fallback;

  // Prices and the item count in the page's language: $1,299.00, 1 item, 2 items.
  const lang = document.documentElement.lang || 'en-US';
  const plural = new Intl.PluralRules(lang);
  function money(cents) {
    return new Intl.NumberFormat(lang, { style: 'currency', currency: currency }).format(cents / 100);
  }
  function unit(n) {
    return plural.select(n) === 'one' ? say('item-one', 'item') : say('item-other', 'items');
  }
  function showCart() {
    countEl.textContent = String(count);
    unitEl.textContent = unit(count);
    totalEl.textContent = money(totalCents);
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
      showCart();
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
    statusEl.textContent = say('placed', 'Thank you: your order of {n} {unit} ({total}) is placed.')
      .replace('{n}', String(count))
      .replace('{unit}', unit(count))
      .replace('{total}', money(totalCents));
    count = 0;
    totalCents = 0;
    showCart();
  });
})();
