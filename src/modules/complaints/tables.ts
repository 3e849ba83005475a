// Tables of the complaints module (created by migration 0452-rights with the requests'). Personal
// values are sealed under the complaint's own vault key (`complaint:<id>`).

import type { Jurisdiction, RequestChannel } from '../rights/index.js';
export interface ComplaintTables {
  complaints: {
    id: string;
    jurisdiction: Jurisdiction;
    channel: RequestChannel;
    status: 'open' | 'answered' | 'closed';
    /** Sealed JSON: email, name, message (vault key complaint:<id>). */
    sealed: string;
    received_at: string;
    reply_due_on: string;
    first_reply_at: string | null;
    /** Policy regulator id to escalate to (e.g. `us-ca`, `eea`). */
    regulator: string | null;
    request_id: string | null;
    status_token_index: string;
    created_by: string | null;
    updated_at: string;
    /** The language of the complaint (en-US, es-US): its messages are written in it. */
    locale: string;
  };
  complaint_replies: {
    id: string;
    complaint_id: string;
    at: string;
    staff_id: string | null;
    /** Sealed body (vault key complaint:<id>). */
    sealed: string;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends ComplaintTables {}
}
