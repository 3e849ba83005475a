// Which addresses a webhook delivery may connect to, checked on the address actually connected to:
// the name is resolved once, at connection time, by a lookup that refuses the whole answer when any
// address in it is forbidden, so the check and the connection use the same answer (a name that
// answers a public address to a check and 127.0.0.1 to the connection — DNS rebinding — gets
// nowhere). Link-local, metadata, unspecified, multicast and reserved addresses are never
// receivers; loopback and private ones only when the operator lists them in
// VOW_WEBHOOK_PRIVATE_NETWORKS (a retailer's recipients may live on its private network).
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import ipaddr from 'ipaddr.js';
import { VowError } from '../../platform/errors.js';

/** The lookup `dns.lookup` is (tests pass their own: names resolve to what they say, never over the network). */
export type Lookup = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export const ADDRESS_REFUSED = 'VOW_WEBHOOK_ADDRESS_REFUSED';

/**
 * How long a registration waits for its lookup: resolves after `ms` unless `signal` aborts first
 * (the lookup answered). Tests pass their own (a lookup that never answers, a wait that is over).
 */
export type LookupWait = (ms: number, signal: AbortSignal) => Promise<void>;

const realWait: LookupWait = (ms, signal) =>
  sleep(ms, undefined, { signal, ref: false }).catch(() => undefined);

/** The resolver of webhook hosts, injected (registration and delivery use the same one). */
export interface WebhookResolver {
  readonly lookup?: Lookup | undefined;
  readonly wait?: LookupWait | undefined;
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * The cloud platforms' own services outside the link-local range, never a receiver whatever is
 * listed: Alibaba Cloud's metadata in 100.64/10, AWS's IPv6 metadata, and Azure's WireServer
 * (168.63.129.16, a public address that an Azure machine reaches its host's platform through: DNS,
 * health probes, the VM agent's configuration and certificates).
 */
export const METADATA_ADDRESSES = ['100.100.100.200', 'fd00:ec2::254', '168.63.129.16'] as const;
const METADATA = METADATA_ADDRESSES.map((a) => ipaddr.parse(a).toNormalizedString());
/** Ranges no listed network opens: nothing a receiver is reached at lives there. */
const NEVER = new Set(['unspecified', 'linkLocal', 'multicast', 'broadcast']);
/** What `loopback` and `private` in VOW_WEBHOOK_PRIVATE_NETWORKS open. */
const KEYWORD_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['loopback'],
  private: ['private', 'carrierGradeNat', 'uniqueLocal'],
};

/** Words for the ranges in a refusal's message. */
const RANGE_WORDS: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified',
  linkLocal: 'a link-local',
  metadata: 'a cloud metadata',
  multicast: 'a multicast',
  broadcast: 'a broadcast',
  loopback: 'a loopback',
  private: 'a private-network',
  carrierGradeNat: 'a private-network (shared 100.64.0.0/10)',
  uniqueLocal: 'a private-network (unique local IPv6)',
  invalid: 'an invalid',
};

/** The IPv4 address an IPv6 one stands for (mapped, NAT64, 6to4), else itself. */
function embedded(address: Address): Address {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  const p = v6.parts;
  if (range === 'ipv4Mapped' || range === 'rfc6052')
    return new ipaddr.IPv4([p[6]! >> 8, p[6]! & 255, p[7]! >> 8, p[7]! & 255]);
  if (range === '6to4') return new ipaddr.IPv4([p[1]! >> 8, p[1]! & 255, p[2]! >> 8, p[2]! & 255]);
  return v6;
}

/** The range an address is in, for the policy: ipaddr.js's names, plus `metadata` and `compatible`. */
function rangeOf(address: Address): string {
  if (METADATA.includes(address.toNormalizedString())) return 'metadata';
  const range = address.range();
  // ::a.b.c.d (IPv4-compatible, deprecated): ipaddr.js calls it unicast; nothing legitimate is there.
  if (address.kind() === 'ipv6' && range === 'unicast') {
    const p = (address as ipaddr.IPv6).parts;
    if (p.slice(0, 6).every((x) => x === 0)) return 'reserved';
  }
  return range;
}

export class AddressRefused extends Error {
  readonly code = ADDRESS_REFUSED;
  constructor(
    readonly host: string,
    readonly range: string,
  ) {
    const is = isIP(host) === 0 ? 'resolves to' : 'is';
    const opens = KEYWORD_RANGES.loopback!.includes(range)
      ? ' (VOW_WEBHOOK_PRIVATE_NETWORKS=loopback allows it)'
      : KEYWORD_RANGES.private!.includes(range)
        ? ' (VOW_WEBHOOK_PRIVATE_NETWORKS=private allows it)'
        : '';
    super(
      `${host} ${is} ${RANGE_WORDS[range] ?? `a reserved (${range})`} address, where webhooks are not delivered${opens}`,
    );
    this.name = 'AddressRefused';
  }
}

/** The receiver-address policy of one configuration (VOW_WEBHOOK_PRIVATE_NETWORKS). */
export class ReceiverAddresses {
  readonly #ranges = new Set<string>();
  readonly #networks: [Address, number][] = [];
  readonly #resolve: Lookup;
  readonly #wait: LookupWait;

  constructor(
    privateNetworks: readonly string[],
    resolve: Lookup = dnsLookup as Lookup,
    wait: LookupWait = realWait,
  ) {
    this.#resolve = resolve;
    this.#wait = wait;
    for (const entry of privateNetworks) {
      const keyword = KEYWORD_RANGES[entry];
      if (keyword) for (const r of keyword) this.#ranges.add(r);
      else this.#networks.push(entry.includes('/') ? ipaddr.parseCIDR(entry) : exact(entry));
    }
  }

  /** Why a delivery may not connect to `address` (the range's name), or undefined when it may. */
  refusal(address: string): string | undefined {
    const parsed = parse(address);
    if (!parsed) return 'invalid';
    const seen = embedded(parsed);
    for (const a of seen === parsed ? [parsed] : [parsed, seen]) {
      const range = rangeOf(a);
      if (range === 'metadata' || NEVER.has(range)) return range;
    }
    const range = rangeOf(seen);
    if (range === 'teredo') return range;
    if (range === 'unicast' || this.#ranges.has(range)) return undefined;
    if (this.#networks.some(([net, bits]) => net.kind() === seen.kind() && seen.match(net, bits)))
      return undefined;
    return range;
  }

  /**
   * The lookup a delivery's connection resolves its host with: every address of the answer is
   * checked, and the connection is given exactly that answer (or the refusal as its error).
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.#resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, options.all ? [] : '', 0);
      const refused = addresses.map((a) => this.refusal(a.address)).find((r) => r !== undefined);
      if (refused !== undefined) return callback(new AddressRefused(hostname, refused), '', 0);
      const first = addresses[0];
      if (!first) {
        const none: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        none.code = 'ENOTFOUND';
        return callback(none, '', 0);
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };

  /** Throws the refusal when `hostname` is an address literal outside the policy (no lookup is made for one). */
  checkLiteral(hostname: string): void {
    const host = hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) === 0) return;
    const refused = this.refusal(host);
    if (refused !== undefined) throw new AddressRefused(host, refused);
  }

  /**
   * At registration: refused (VOW_WEBHOOK_ADDRESS_REFUSED) when the URL's host is, or resolves now
   * to, a forbidden address, and (VOW_WEBHOOK_URL_INVALID) when its name does not resolve or gives no
   * answer within `waitMs`: a clear answer, never a hang or a 500. The check that matters for
   * delivery is still the one made on every connection.
   */
  async checkUrl(url: string, waitMs = 5000): Promise<void> {
    const { hostname } = new URL(url);
    try {
      this.checkLiteral(hostname);
    } catch (err) {
      if (err instanceof AddressRefused)
        throw new VowError(ADDRESS_REFUSED, err.message, { host: err.host, range: err.range });
      throw err;
    }
    if (isIP(hostname.replace(/^\[|\]$/g, '')) !== 0) return;
    const answered = new AbortController();
    const outcome = await new Promise<Error | 'resolved' | 'timeout'>((settle) => {
      void this.#wait(waitMs, answered.signal).then(() => settle('timeout'));
      try {
        this.lookup(hostname, { all: true }, (err) => settle(err ?? 'resolved'));
      } catch (err) {
        settle(err instanceof Error ? err : new Error(String(err)));
      }
    });
    answered.abort();
    if (outcome === 'resolved') return;
    if (outcome instanceof AddressRefused)
      throw new VowError(ADDRESS_REFUSED, outcome.message, { host: outcome.host, range: outcome.range });
    const reason =
      outcome === 'timeout'
        ? `gave no answer within ${waitMs / 1000} s`
        : `could not be resolved (${(outcome as NodeJS.ErrnoException).code ?? 'lookup failed'})`;
    throw new VowError('VOW_WEBHOOK_URL_INVALID', `The webhook URL's host ${hostname} ${reason}`, {
      host: hostname,
      lookup: outcome === 'timeout' ? 'timeout' : 'failed',
    });
  }
}

/**
 * The address, or undefined when it is not one. IPv6 goes through the URL parser first: ipaddr.js
 * reads `::127.0.0.1` (IPv4-compatible, ::7f00:1) as if it were `::ffff:127.0.0.1`.
 */
function parse(address: string): Address | undefined {
  const family = isIP(address);
  if (family === 4) return ipaddr.IPv4.parse(address);
  if (family !== 6) return undefined;
  try {
    return ipaddr.IPv6.parse(new URL(`http://[${address}]/`).hostname.slice(1, -1));
  } catch {
    return undefined;
  }
}

function exact(address: string): [Address, number] {
  const a = ipaddr.parse(address);
  return [a, a.kind() === 'ipv4' ? 32 : 128];
}
