// Tables of the vault (migration 0002-security-core).

export interface CryptoTables {
  /** One data key per person, wrapped by the master key; null once destroyed (crypto-shredded). */
  data_keys: {
    subject_id: string;
    wrapped_key: string | null;
    created_at: string;
    destroyed_at: string | null;
  };
}

declare module '../store/database.js' {
  interface Database extends CryptoTables {}
}
