// The shapes of the webhook outbox (what an endpoint, a delivery and a published event look like to
// callers) and the one rule on an endpoint's address.
import type { Kysely, Transaction } from 'kysely';
import { VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import type { EventType, PersonValues } from './events.js';
import type { DeliveryStatus } from './tables.js';

export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
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
  return url.toString();
}
