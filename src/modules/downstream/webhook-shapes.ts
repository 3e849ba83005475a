// The shapes of the webhook outbox (what an endpoint, a delivery and a published event look like to
// callers) and the rule on an endpoint's URL as written (what a connection may reach, whatever the
// name resolves to, is receiver-addresses.ts).
import { BlockList, isIP } from 'node:net';
import type { Kysely, Transaction } from 'kysely';
import { VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import type { EventType, PersonValues } from './events.js';
import { METADATA_ADDRESSES } from './receiver-addresses.js';
import type { DeliveryStatus } from './tables.js';

export type Fetch = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body: string;
    signal: AbortSignal;
    redirect: 'manual';
  },
) => Promise<{ status: number }>;

export interface EndpointView {
  readonly id: string;
  readonly url: string;
  readonly events: string[];
  readonly recipient: string | null;
  readonly createdAt: string;
  readonly rotating: boolean;
  readonly disabled: boolean;
}

export interface DeliveryView {
  readonly id: string;
  readonly endpointId: string;
  readonly url: string;
  readonly eventType: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

export interface PublishInput {
  readonly type: EventType;
  /** The person the event is about (their undelivered events are shredded when they are erased). */
  readonly subjectId?: string | null;
  /** Identifiers, minimised per endpoint to what its recipient may receive. */
  readonly person?: PersonValues | undefined;
  /** The rest of the event (ids, channels, categories: no personal value). */
  readonly data: Readonly<Record<string, unknown>>;
  /** Only these endpoints (downstream tasks address one recipient's endpoint each). */
  readonly endpointIds?: readonly string[];
  /** Adds per-endpoint fields (a task's id and acknowledgement URL). */
  readonly extra?: (endpointId: string) => Readonly<Record<string, unknown>> | undefined;
}

/** The store or a transaction on it. */
export type Db = Kysely<Database> | Transaction<Database>;

export interface PreparedDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly type: EventType;
  readonly subjectId: string | null;
  readonly sealed: string | null;
  readonly body: string | null;
}

/**
 * Addresses no webhook receiver lives at: the link-local ranges (where cloud metadata services
 * answer, 169.254.169.254 and its IPv6 forms), the unspecified address, and the metadata services
 * outside them. The URL parser has already turned `2852039166`, `0xa9.0xfe.0xa9.0xfe` and
 * `[::ffff:169.254.169.254]` into the forms checked here.
 */
const NEVER_A_RECEIVER = new BlockList();
NEVER_A_RECEIVER.addSubnet('169.254.0.0', 16, 'ipv4');
NEVER_A_RECEIVER.addSubnet('fe80::', 10, 'ipv6');
NEVER_A_RECEIVER.addSubnet('0.0.0.0', 8, 'ipv4');
NEVER_A_RECEIVER.addAddress('::', 'ipv6');
for (const a of METADATA_ADDRESSES) NEVER_A_RECEIVER.addAddress(a, isIP(a) === 4 ? 'ipv4' : 'ipv6');
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata']);

function neverAReceiver(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const family = isIP(host);
  if (family === 0) return METADATA_HOSTS.has(host);
  return NEVER_A_RECEIVER.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

export function validUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new VowError('VOW_WEBHOOK_URL_INVALID', 'The webhook URL is not a URL');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.username || url.password || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)))
    throw new VowError(
      'VOW_WEBHOOK_URL_INVALID',
      'A webhook URL must be https (plain http only on the loopback interface), without credentials',
    );
  if (neverAReceiver(url.hostname))
    throw new VowError(
      'VOW_WEBHOOK_URL_INVALID',
      "A webhook URL cannot name a link-local or metadata address: give the receiver's own address",
    );
  return url.toString();
}
