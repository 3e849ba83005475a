// GET /demo/store: a demo shop page carrying the consent script, for newcomers and the browser
// tests. Its cart works with every cookie refused and with cookies disabled (P18).
import type { Policy } from '../../modules/policy/index.js';
import { html } from '../../platform/html.js';
import type { ScriptTag } from '../consent-script.js';
import { page } from '../layout.js';

const PRODUCTS = [
  { name: 'Lab-grown diamond solitaire ring', cents: 129_900 },
  { name: 'Classic stud earrings', cents: 49_900 },
  { name: 'Tennis bracelet', cents: 219_500 },
];

export function renderDemoStorefront(policy: Policy, script: ScriptTag): string {
  const body = html`
<script src="${script.src}" integrity="${script.integrity}" crossorigin="anonymous" defer></script>
<section class="demo-store" data-vow-area="catalog" data-testid="store">
  <h1>${policy.doc.controller.name} demo storefront</h1>
  <p>A pretend shop page that carries Vow's consent script. Nothing here is sold. Try the cookie
  banner: every choice is recorded in Vow's consent ledger, and the cart below works whatever you choose.</p>
  <ul class="demo-products">
    ${PRODUCTS.map(
      (p) => html`<li>
      <h2>${p.name}</h2>
      <p>$${(p.cents / 100).toFixed(2)}</p>
      <button type="button" data-add-to-cart data-value-cents="${p.cents}" data-currency="USD">Add ${p.name} to cart</button>
    </li>`,
    )}
  </ul>
  <p>Cart: <output id="cart-count" data-testid="cart-count">0</output> item(s), <output id="cart-total" data-testid="cart-total">$0.00</output></p>
  <p><button type="button" id="place-order" data-testid="place-order">Place order</button></p>
  <p id="order-status" role="status" data-testid="order-status"></p>
  <h2>Your cookie choices</h2>
  <p><button type="button" data-vow-preferences>Change cookie settings</button></p>
  <p>You can opt out of Google Analytics data gathering on this page: <span data-vow-ga-optout></span></p>
</section>
<script src="/demo/store.js"></script>`;
  return page({ title: 'Demo storefront', policy, body, current: '/demo/store' });
}
