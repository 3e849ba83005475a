// Tables of the imports module (migrations 0640-imports, 0720-import-line-numbering, 0731-import-run-names): one row per imported file and format, its
// checkpoint, and the rows it refused. Neither holds a personal value: the people and facts an import
// brings in are written by the collection and consent modules, through their services.

export interface ImportsTables {
  /** One run per file content (SHA-256) and format: resumed from its checkpoint, never run twice. */
  import_runs: {
    id: string;
    file_sha256: string;
    format: string;
    /**
     * The run's name, made from its format and SHA-256 (`<format>-<12 hex>`, import-service.ts
     * runName; migration 0731 renamed older runs): never the name the file was given.
     */
    file_name: string;
    /** running | done */
    status: string;
    /** The last line of the file whose facts are written (everything up to it is done). */
    checkpoint_line: number;
    /**
     * How the run numbers lines (read-file.ts, LineNumbering; migration 0720): 2, the file's own
     * lines; 1 for runs begun before, resumed in the numbering their checkpoint was written in.
     */
    line_numbering: number;
    /** JSON: the outcome counts so far. */
    counts: string;
    started_at: string;
    updated_at: string;
    finished_at: string | null;
  };
  /** Each refused row: its line and why (a stable code and a message naming fields, never values). */
  import_refusals: {
    run_id: string;
    line: number;
    code: string;
    reason: string;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends ImportsTables {}
}
