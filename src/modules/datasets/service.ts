// The datasets service: runs the walker over every configured dataset (Vow's own tables and the
// retailer's databases) and records each operation in the audit trail (counts only).
import type { Kysely } from 'kysely';
import type { AuditTrail } from '../../platform/audit/index.js';
import type { Clock } from '../../platform/clock.js';
import type { Vault } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import type { Policy, VowContext } from '../policy/index.js';
import { loadAnnotationFile } from './annotation.js';
import { connectDataset, type DatasetConnection } from './connect.js';
import { correctInDataset, correctionColumns } from './correct.js';
import { type ExpiredValues, type ExpiryReport, expireInDataset } from './expire.js';
import { type DatasetConfig, loadDatasetsFile, VOW_ANNOTATION_PATH } from './registry.js';
import type {
  CorrectOptions,
  DatasetAnnotation,
  DeleteOptions,
  ExportedValue,
  PersonExport,
  PersonIdentity,
  Retained,
  TableReport,
  WalkActor,
  WalkReport,
} from './types.js';
import { deleteInDataset, exportDataset, type WalkTarget } from './walker.js';

export interface DatasetServiceDeps {
  readonly policy: () => Policy;
  readonly clock: Clock;
  readonly vault?: Vault | undefined;
  readonly audit?: AuditTrail | undefined;
}

/** A dataset the service walks: an annotation with either an open database or a URL opened on first use. */
export interface DatasetSource {
  readonly name: string;
  readonly annotation: DatasetAnnotation;
  // biome-ignore lint/suspicious/noExplicitAny: a retailer's schema is described by its annotation
  readonly db?: Kysely<any>;
  readonly url?: string;
}

export interface DatasetInfo {
  readonly name: string;
  readonly tables: number;
  readonly columns: number;
  readonly location: string;
}

export class DatasetService {
  readonly #deps: DatasetServiceDeps;
  readonly #load: () => readonly DatasetSource[];
  #loaded: readonly DatasetSource[] | undefined;
  readonly #connections = new Map<string, DatasetConnection>();

  /** Sources may be given lazily: annotations are then loaded (and checked) on first use. */
  constructor(
    deps: DatasetServiceDeps,
    sources: readonly DatasetSource[] | (() => readonly DatasetSource[]),
  ) {
    this.#deps = deps;
    this.#load = typeof sources === 'function' ? sources : () => sources;
  }

  get #sources(): readonly DatasetSource[] {
    this.#loaded ??= this.#load();
    return this.#loaded;
  }

  /** Adds a retailer dataset from configuration (opened on first use). */
  static sourcesFromConfig(configs: readonly DatasetConfig[]): DatasetSource[] {
    return configs.map((c) => ({ name: c.name, annotation: c.annotation, url: c.url }));
  }

  list(): DatasetInfo[] {
    return this.#sources.map((s) => ({
      name: s.name,
      tables: s.annotation.tables.length,
      columns: s.annotation.tables.reduce((n, t) => n + t.columns.length, 0),
      location: s.db ? 'vow' : (this.#connections.get(s.name)?.location ?? '(not opened yet)'),
    }));
  }

  /** The annotations walked, each under its dataset name (for the data map). */
  annotations(): DatasetAnnotation[] {
    return this.#sources.map((s) => ({ ...s.annotation, name: s.name }));
  }

  #targets(): WalkTarget[] {
    return this.#sources.map((s) => {
      if (s.db) return { name: s.name, annotation: s.annotation, db: s.db };
      let conn = this.#connections.get(s.name);
      if (!conn) {
        conn = connectDataset(s.url ?? '');
        this.#connections.set(s.name, conn);
      }
      return { name: s.name, annotation: s.annotation, db: conn.db };
    });
  }

  async #guard<T>(dataset: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof VowError) throw err;
      throw new VowError(
        'VOW_DATASET_UNAVAILABLE',
        `The dataset "${dataset}" failed: ${err instanceof Error ? err.message : String(err)}`,
        { dataset },
        { cause: err },
      );
    }
  }

  async #audit(
    actor: WalkActor | undefined,
    action: string,
    who: PersonIdentity,
    details: Record<string, unknown>,
  ) {
    // A request's steps are audited by the rights module, in its own transaction (which may hold
    // the audit chain's head while it calls the walker): auditing here too would wait on it.
    if (!this.#deps.audit || actor?.requestId) return;
    const subject = who.subjectIds?.[0];
    await this.#deps.audit.record({
      actor: { type: actor?.type ?? 'system', id: actor?.id },
      action,
      target: subject ? { type: 'subject', id: subject } : undefined,
      details,
    });
  }

  /** Every annotated value of the person in every dataset, with category and allowed purposes. */
  async export(who: PersonIdentity, actor?: WalkActor): Promise<PersonExport> {
    const deps = { policy: this.#deps.policy(), vault: this.#deps.vault };
    const values: ExportedValue[] = [];
    const tables: Record<string, Record<string, unknown>[]> = {};
    const datasets: string[] = [];
    for (const target of this.#targets()) {
      const part = await this.#guard(target.name, () => exportDataset(target, who, deps));
      datasets.push(target.name);
      values.push(...part.values);
      Object.assign(tables, part.tables);
    }
    await this.#audit(actor, 'datasets.exported', who, {
      datasets,
      values: values.length,
      tables: Object.keys(tables).length,
    });
    return { generatedAt: this.#deps.clock.now().toISOString(), datasets, values, tables };
  }

  /** Deletes the person's data (all, or chosen categories) everywhere, exemptions aside; or a dry run. */
  async delete(who: PersonIdentity, options: DeleteOptions = {}, actor?: WalkActor): Promise<WalkReport> {
    const policy = this.#deps.policy();
    const categories = options.categories ?? 'all';
    if (categories !== 'all')
      for (const c of categories)
        if (!policy.hasCategory(c))
          throw new VowError('VOW_UNKNOWN_CATEGORY', `Unknown data category "${c}"`, { category: c });
    const dryRun = options.dryRun === true;
    const tables: TableReport[] = [];
    const retained: Retained[] = [];
    let changes = 0;
    for (const target of this.#targets()) {
      const part = await this.#guard(target.name, () =>
        deleteInDataset(
          target,
          who,
          { categories, dryRun, collectedBefore: options.collectedBefore },
          { policy, vault: this.#deps.vault },
        ),
      );
      tables.push(...part.tables);
      retained.push(...part.retained);
      changes += part.changes;
    }
    const report: WalkReport = {
      operation: 'delete',
      dryRun,
      at: this.#deps.clock.now().toISOString(),
      tables,
      changes,
      retained,
    };
    await this.#audit(actor, dryRun ? 'datasets.deletion_previewed' : 'datasets.deleted', who, {
      categories,
      changes,
      retained: retained.map((r) => ({
        dataset: r.dataset,
        table: r.table,
        column: r.column,
        exemption: r.exemption,
      })),
    });
    return report;
  }

  /**
   * Takes values whose retention has passed out of Vow's own tables (the dataset with `db`), whoever
   * they belong to: rows whose every value expired are deleted, other expired values masked or
   * nulled. The retention module finds them; see expire.ts for the rule.
   */
  async expire(expired: ExpiredValues, options: { dryRun?: boolean } = {}): Promise<ExpiryReport> {
    const source = this.#sources.find((s) => s.db);
    if (!source?.db) return { dryRun: options.dryRun === true, tables: [] };
    const target = { name: source.name, annotation: source.annotation, db: source.db };
    const dryRun = options.dryRun === true;
    const report = await this.#guard(source.name, () =>
      expireInDataset(target, expired, { dryRun }, { policy: this.#deps.policy(), vault: this.#deps.vault }),
    );
    if (!dryRun)
      await this.#audit(
        { type: 'system' },
        'datasets.expired',
        {},
        {
          tables: report.tables.filter((t) => t.rowsDeleted + t.valuesCleared > 0),
        },
      );
    return report;
  }

  /** Sets one field (by category, optionally one column) to a new value in every dataset that holds it. */
  async correct(who: PersonIdentity, options: CorrectOptions, actor?: WalkActor): Promise<WalkReport> {
    const policy = this.#deps.policy();
    if (!policy.hasCategory(options.category))
      throw new VowError('VOW_UNKNOWN_CATEGORY', `Unknown data category "${options.category}"`, {
        category: options.category,
      });
    const targets = this.#targets();
    if (!targets.some((t) => correctionColumns(t.annotation, options).size > 0))
      throw new VowError(
        'VOW_DATASET_UNKNOWN_FIELD',
        `No annotated dataset holds ${options.column ? `column "${options.column}" of ` : ''}category "${options.category}"`,
        { category: options.category, column: options.column },
      );
    const tables: TableReport[] = [];
    let changes = 0;
    for (const target of targets) {
      const part = await this.#guard(target.name, () =>
        correctInDataset(target, who, options, { policy, vault: this.#deps.vault }),
      );
      tables.push(...part.tables);
      changes += part.changes;
    }
    await this.#audit(actor, 'datasets.corrected', who, {
      category: options.category,
      column: options.column ?? null,
      changes,
      dryRun: options.dryRun === true,
    });
    return {
      operation: 'correct',
      dryRun: options.dryRun === true,
      at: this.#deps.clock.now().toISOString(),
      tables,
      changes,
      retained: [],
    };
  }

  /** Closes the connections this service opened (not Vow's own store). */
  async close(): Promise<void> {
    const conns = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(conns.map((c) => c.close()));
  }
}

/**
 * The service over Vow's own tables (datasets/vow.yaml, on Vow's store) and the retailer's
 * datasets listed in VOW_DATASETS. Annotations are loaded on first use.
 */
export function createDatasetService(ctx: VowContext): DatasetService {
  return new DatasetService(
    { policy: () => ctx.policy, clock: ctx.clock, vault: ctx.vault, audit: ctx.audit },
    () => [
      { name: 'vow', annotation: loadAnnotationFile(VOW_ANNOTATION_PATH, ctx.policy), db: ctx.store.db },
      ...DatasetService.sourcesFromConfig(
        ctx.config.datasetsPath ? loadDatasetsFile(ctx.config.datasetsPath, ctx.policy) : [],
      ),
    ],
  );
}
