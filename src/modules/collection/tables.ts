// Tables of the collection module: one per built-in collection point, and the records and values of
// every declared form. Personal values are sealed.

export interface CollectionTables {
  orders: {
    id: string;
    shop_order_id: string;
    request_hash: string;
    buyer_subject_id: string;
    /** Sealed JSON { name } under the buyer's key (addresses, email, phone: subject_identifiers). */
    buyer_sealed: string;
    gift_subject_id: string | null;
    /** Sealed JSON { name } under the gift recipient's key (address, email, phone: subject_identifiers). */
    gift_sealed: string | null;
    /** JSON array of { sku, description?, quantity, unit_price_cents }. */
    items: string;
    total_cents: number;
    currency: string;
    placed_at: string;
    policy_version: string;
    collected_at: string;
  };
  registrations: {
    id: string;
    subject_id: string;
    /** Sealed JSON { name } (email, address, account id: subject_identifiers). */
    sealed: string;
    gender: string | null;
    catalog_opt_in: number;
    registered_at: string;
    policy_version: string;
    collected_at: string;
  };
  contest_entries: {
    id: string;
    subject_id: string;
    contest_id: string | null;
    /** Sealed JSON { name? }, or null when no name was given. */
    sealed: string | null;
    policy_version: string;
    collected_at: string;
  };
  catalog_requests: {
    id: string;
    subject_id: string;
    /** Sealed JSON { first_name, last_name } (email, address: subject_identifiers). */
    sealed: string;
    relationship_status: string;
    jewelry_types: string;
    budget: string;
    age_range: string;
    residence_type: string;
    gender: string | null;
    policy_version: string;
    collected_at: string;
  };
  sms_signups: {
    id: string;
    subject_id: string;
    consent_text: string;
    consent_text_sha256: string;
    policy_version: string;
    collected_at: string;
  };
  inbound_messages: {
    id: string;
    subject_id: string;
    /** Sealed JSON { subject }. */
    sealed: string;
    received_at: string;
    policy_version: string;
    collected_at: string;
  };
  /** One submission to a declared form (a collection point whose fields are typed in the policy). */
  form_submissions: {
    id: string;
    collection_point: string;
    subject_id: string;
    policy_version: string;
    collected_at: string;
  };
  /**
   * Each value of a declared form's submission but the identifiers (email, phone, postal address:
   * subject_identifiers), sealed under the person's key, with the category the policy gave its field.
   */
  form_values: {
    submission_id: string;
    field: string;
    subject_id: string;
    category: string;
    /** How the sealed text reads back: `text`, `boolean` (`true`/`false`) or `list` (a JSON array). */
    value_type: string;
    value: string;
  };
  /** The first answer to each Idempotency-Key of a collection endpoint, for IDEMPOTENCY_TTL_MS. */
  collection_idempotency: {
    /** Keyed hash of caller (API key id), collection point and the client's key. */
    key_hash: string;
    /** Keyed hash of the canonical body: the same key with another body is refused. */
    request_hash: string;
    status: number;
    /** The answer as JSON (record id and subject ids: no personal value). */
    answer: string;
    /** The person the answer names (erased with them), and a gift recipient's. */
    subject_id: string;
    other_subject_id: string | null;
    created_at: string;
    expires_at: string;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends CollectionTables {}
}
