// The client a per-address limit counts: an IPv4 address as it is, an IPv6 address by its /64. A
// host, a household or a rented server is given a whole /64 (RFC 6177 and common practice), so its
// 2^64 addresses are one client, as @fastify/rate-limit counts them for the per-route limits; an
// IPv4-mapped IPv6 address (`::ffff:192.0.2.7`) is that IPv4 address.
import { isIPv6 } from 'node:net';

/** The eight 16-bit groups of a valid IPv6 address (its zone dropped, an IPv4 tail converted). */
function groups(address: string): number[] {
  const bare = address.split('%', 1)[0]!.toLowerCase();
  const [head = '', tail] = bare.split('::', 2) as [string, string | undefined];
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [Number.parseInt(g, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

export function clientUnit(address: string): string {
  if (!isIPv6(address)) return address.toLowerCase();
  const g = groups(address);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff)
    return [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join('.');
  return `${g
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(':')}::/64`;
}
