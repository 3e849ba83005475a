// Tables of the cookie consent and events part of the analytics module (see migration 0300).
import type { Generated } from 'kysely';

export interface SiteAnalyticsTables {
  /**
   * Site measurements, stored only under the visitor's analytics consent, already scrubbed:
   * no query string of personal values, no fragment, no IP, no raw user agent.
   */
  analytics_events: {
    id: Generated<number>;
    /** vault.blindIndex('cookie', cookieId): the same visitor, never the cookie id itself. */
    visitor_id: string;
    type: 'page_view' | 'engagement' | 'add_to_cart' | 'order_completed';
    /** The area of the site (one of SITE_AREAS). */
    area: string;
    /** The page path, scrubbed (see scrubPath). */
    path: string;
    duration_ms: number | null;
    value_cents: number | null;
    currency: string | null;
    browser_family: string;
    at: string;
  };
  /** Named counters, e.g. events dropped for want of consent. */
  analytics_counters: {
    name: string;
    count: number;
    updated_at: string;
  };
  /** Every measurement handed to Google Analytics (P19): which visitor, which event, when. */
  ga_forwards: {
    id: Generated<number>;
    visitor_id: string;
    event_type: string;
    /** JSON array of the parameter names sent (names only, never values). */
    params: string;
    status: 'sent' | 'failed';
    at: string;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends SiteAnalyticsTables {}
}
