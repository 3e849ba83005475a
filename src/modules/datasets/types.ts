// The datasets module's public types: what an annotation says, who a person is to the walker, and
// the reports every operation returns. The rights module builds on these; keep them stable.

/** How deletion treats one annotated column. */
export const DELETE_STRATEGIES = ['delete_row', 'null', 'mask', 'retain'] as const;
export type DeleteStrategy = (typeof DELETE_STRATEGIES)[number];

/** What an identity column holds, i.e. which of the person's identifiers it is compared with. */
export const IDENTITY_KINDS = ['email', 'phone', 'account', 'subject'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export interface AnnotatedColumn {
  readonly name: string;
  /** A data category of the policy in force, e.g. `contact.email`. */
  readonly category: string;
  readonly onDelete: DeleteStrategy;
  /** The policy exemption a `retain` column relies on (e.g. `service_customers`). */
  readonly exemption?: string | undefined;
  /** Replacement written by `mask`; `{pk}` is replaced by the row's primary key. */
  readonly maskWith: string;
  /** A `delete_row` column whose row must stay is masked (mask_with given) rather than nulled. */
  readonly fallbackMask: boolean;
  /** `vault`: the value is sealed with the person's data key (Vow's own tables). */
  readonly encrypted?: 'vault' | undefined;
  /**
   * Column holding the owner's subject id for `encrypted: vault` (the column's, else the table's).
   * Such a value is the person's only when that column holds one of their subject ids (a gift
   * recipient's sealed address in the buyer's order is not the buyer's).
   */
  readonly subjectColumn?: string | undefined;
  /** The category depends on another column of the row (e.g. `kind`: email, phone…); else `category`. */
  readonly categoryBy?:
    | { readonly column: string; readonly values: Readonly<Record<string, string>> }
    | undefined;
  /**
   * The row names its value's category itself, in this column (a category of the policy: a declared
   * form's field value); `category` is used when that column is empty.
   */
  readonly categoryFrom?: string | undefined;
  /**
   * The column holds a JSON object (sealed or not) whose keys are separate values, each with its
   * own category; keys not listed take the column's category. Deletion removes (or retains) keys.
   */
  readonly fields?: readonly JsonField[] | undefined;
  /** The vault key id a sealed value uses: `prefix` + the row's `column` (default: subjectColumn). */
  readonly vaultKey?: { readonly column: string; readonly prefix: string } | undefined;
  /**
   * Which part of a person's name the column holds, where a copy keeps the name in parts: a
   * correction of the whole name is split between them (src/modules/datasets/name-parts.ts).
   */
  readonly namePart?: NamePart | undefined;
  /** A column holding the vault blind index of this value, kept in step on correction. */
  readonly blindIndex?:
    | {
        readonly column: string;
        /** The index kind, or the column of the row naming it (`kindBy`). */
        readonly kind?: 'email' | 'phone' | 'account' | 'address' | undefined;
        readonly kindBy?: string | undefined;
      }
    | undefined;
}

export interface JsonField {
  readonly name: string;
  readonly category: string;
  readonly onDelete: 'remove' | 'retain';
  readonly exemption?: string | undefined;
  /** Which part of a person's name the key holds (see AnnotatedColumn.namePart). */
  readonly namePart?: NamePart | undefined;
}

/** The parts a name may be kept in: the given name(s) and the family name. */
export const NAME_PARTS = ['given', 'family'] as const;
export type NamePart = (typeof NAME_PARTS)[number];

export interface IdentityColumn {
  readonly column: string;
  readonly kind: IdentityKind;
  /** `plain`: the column holds the identifier; `blind_index`: it holds vault.blindIndex(kind, value). */
  readonly match: 'plain' | 'blind_index';
}

export interface TableLink {
  /** Column of this table holding the parent's key. */
  readonly column: string;
  readonly table: string;
  /** Column of the parent table referenced (its primary key unless said otherwise). */
  readonly references: string;
}

export interface AnnotatedTable {
  readonly name: string;
  /** One column, or several for a composite key; row keys are the values joined by `/`. */
  readonly primaryKey: readonly string[];
  readonly identity: readonly IdentityColumn[];
  readonly links: readonly TableLink[];
  readonly columns: readonly AnnotatedColumn[];
  /** Column holding the owner's subject id, used to open `encrypted: vault` values. */
  readonly subjectColumn?: string | undefined;
}

export interface DatasetAnnotation {
  readonly name: string;
  readonly description?: string | undefined;
  /** Path of the annotation file (for messages). */
  readonly file: string;
  /** Tables in walking order: every parent before its children. */
  readonly tables: readonly AnnotatedTable[];
}

/**
 * A person as the walker sees them: every identifier Vow knows for them (the rights module gets
 * these from the subjects service). Emails are compared case-insensitively; phones in E.164.
 */
export interface PersonIdentity {
  readonly subjectIds?: readonly string[];
  readonly emails?: readonly string[];
  readonly phones?: readonly string[];
  readonly accountIds?: readonly string[];
}

/** One annotated value of the person, as exported. */
export interface ExportedValue {
  readonly dataset: string;
  readonly table: string;
  readonly column: string;
  /** Primary key of the row, as text. */
  readonly row: string;
  readonly category: string;
  /** Purposes the policy allows for this category (a rule other than `never` covers it). */
  readonly purposes: readonly string[];
  readonly value: unknown;
}

export interface PersonExport {
  readonly generatedAt: string;
  readonly datasets: readonly string[];
  readonly values: readonly ExportedValue[];
  /** The same values, one object per row, per `dataset.table`. */
  readonly tables: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
}

export type ColumnAction = 'deleted' | 'nulled' | 'masked' | 'retained' | 'corrected';

/** Counts only: a report never holds a value. */
export interface ColumnReport {
  readonly column: string;
  readonly category: string;
  readonly action: ColumnAction;
  /** Rows whose value this action changed (or would change, in a dry run; or keeps, for retained). */
  readonly rows: number;
  readonly exemption?: string | undefined;
}

export interface TableReport {
  readonly dataset: string;
  readonly table: string;
  readonly rowsMatched: number;
  readonly rowsDeleted: number;
  readonly columns: readonly ColumnReport[];
}

export interface Retained {
  readonly dataset: string;
  readonly table: string;
  readonly column: string;
  readonly category: string;
  readonly exemption: string;
  readonly rows: number;
}

export interface WalkReport {
  readonly operation: 'delete' | 'correct';
  readonly dryRun: boolean;
  readonly at: string;
  readonly tables: readonly TableReport[];
  /** Rows deleted plus values changed, over every dataset (0 on a repeated deletion). */
  readonly changes: number;
  /** What stayed because of an exemption (deletion only). */
  readonly retained: readonly Retained[];
}

export interface DeleteOptions {
  /** Categories to delete (a category covers those below it); omitted or 'all' for everything. */
  readonly categories?: readonly string[] | 'all';
  /** Report what would happen, change nothing. */
  readonly dryRun?: boolean;
  /**
   * Only rows collected before this instant (ISO 8601), by their table's time column: what a
   * retention period counted from collection lets go. Rows of tables without one are left alone.
   */
  readonly collectedBefore?: string;
}

export interface CorrectOptions {
  /** The category of the field to correct, e.g. `contact.postal_address` or `identity.name`. */
  readonly category: string;
  /** Only this column name (when a category spans several columns, e.g. first and last name). */
  readonly column?: string;
  readonly value: string | number | null;
  readonly dryRun?: boolean;
}

/** Who asked (for the audit trail): ids only. */
export interface WalkActor {
  readonly type: 'staff' | 'system' | 'subject' | 'service';
  readonly id?: string;
  /** e.g. the request id, recorded as the audit target. */
  readonly requestId?: string;
}
