// Tables of the vault (migration 0002-security-core).

export interface CryptoTables {
  /** One data key per person, wrapped by the master key; null once destroyed (crypto-shredded). */
  data_keys: {
    subject_id: string;
    wrapped_key: string | null;
    created_at: string;
    /**
     * Set when an erasure closes the key (nothing more is written for the person; Vault.closeKeys),
     * then again when it destroys it (wrapped_key null).
     */
    destroyed_at: string | null;
  };
}

declare module '../store/database.js' {
  interface Database extends CryptoTables {}
}
