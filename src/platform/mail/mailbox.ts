// The mailbox an email address delivers to, as Vow's per-address mail limits count it.

/** Providers that deliver an address with dots in its local part to the one without them. */
const DOTLESS_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address delivers to, as the mail budget counts it: lower-cased, without its
 * subaddress (`ann+anything@` is `ann@`, which most providers deliver to the same inbox), and for
 * Gmail without the dots of its local part. Counting the written address instead let
 * `ann+1@`, `ann+2@`, ... each spend a budget of their own into one inbox (security.md #29).
 */
export function mailboxOf(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at <= 0) return address;
  let local = address.slice(0, at);
  // `example.com.` (the DNS root's dot) is the same domain, and so the same mailbox (security.md #52).
  // Trimmed from the end by hand: `/\.+$/` rescans a long run of dots from each of them.
  let end = address.length;
  while (end > at + 1 && address[end - 1] === '.') end--;
  let domain = address.slice(at + 1, end);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (DOTLESS_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '') || local;
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}
