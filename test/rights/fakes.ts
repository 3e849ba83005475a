// An in-memory stand-in for the subjects directory and the datasets walker, with the same
// contracts (idempotent deletion that keeps exempt columns, correction everywhere a category is
// held), so the rights flows can be tested without depending on another module's data.
import type { PersonExport, PersonIdentity, WalkReport } from '../../src/modules/datasets/types.js';
import type { DataWalker, PersonDirectory } from '../../src/modules/rights/index.js';

export interface FakeRow {
  table: string;
  column: string;
  category: string;
  subjectId: string;
  value: string;
  exemption?: string;
}

export class FakeWorld {
  readonly people = new Map<string, { emails: string[]; phones: string[]; accounts: string[] }>();
  rows: FakeRow[] = [];
  calls: { op: string; dryRun?: boolean }[] = [];
  /** Called before a real (not dry-run) deletion; may throw or hang to simulate a crash. */
  beforeDelete: (() => Promise<void>) | undefined;

  addPerson(subjectId: string, p: { emails?: string[]; phones?: string[]; accounts?: string[] }): void {
    this.people.set(subjectId, {
      emails: p.emails ?? [],
      phones: p.phones ?? [],
      accounts: p.accounts ?? [],
    });
  }

  #who(who: PersonIdentity): (r: FakeRow) => boolean {
    const ids = new Set(who.subjectIds ?? []);
    return (r) => ids.has(r.subjectId);
  }

  readonly directory: PersonDirectory = {
    findByEmail: async (email) =>
      [...this.people].find(([, p]) => p.emails.includes(email.trim().toLowerCase()))?.[0],
    findByPhone: async (phone) => [...this.people].find(([, p]) => p.phones.includes(phone))?.[0],
    findByAccount: async (account) => [...this.people].find(([, p]) => p.accounts.includes(account))?.[0],
    identifiers: async (subjectId) => {
      const p = this.people.get(subjectId);
      if (!p) return [];
      return [
        ...p.emails.map((value) => ({ kind: 'email' as const, value })),
        ...p.phones.map((value) => ({ kind: 'phone' as const, value })),
        ...p.accounts.map((value) => ({ kind: 'account' as const, value })),
      ];
    },
  };

  readonly walker: DataWalker = {
    export: async (who): Promise<PersonExport> => {
      this.calls.push({ op: 'export' });
      const mine = this.rows.filter(this.#who(who));
      return {
        generatedAt: '2026-01-15T12:00:00.000Z',
        datasets: ['fake'],
        values: mine.map((r, i) => ({
          dataset: 'fake',
          table: r.table,
          column: r.column,
          row: String(i),
          category: r.category,
          purposes: ['order.fulfilment'],
          value: r.value,
        })),
        tables: {},
      };
    },
    delete: async (who, options = {}): Promise<WalkReport> => {
      this.calls.push({ op: 'delete', dryRun: options.dryRun === true });
      if (!options.dryRun && this.beforeDelete) await this.beforeDelete();
      const mine = this.rows.filter(this.#who(who));
      const cats = options.categories ?? 'all';
      const inScope = (r: FakeRow) =>
        cats === 'all' || cats.some((c) => r.category === c || r.category.startsWith(`${c}.`));
      const doomed = mine.filter((r) => inScope(r) && !r.exemption);
      const kept = mine.filter((r) => inScope(r) && r.exemption);
      if (!options.dryRun) this.rows = this.rows.filter((r) => !doomed.includes(r));
      return {
        operation: 'delete',
        dryRun: options.dryRun === true,
        at: '2026-01-15T12:00:00.000Z',
        tables: [],
        changes: doomed.length,
        retained: kept.map((r) => ({
          dataset: 'fake',
          table: r.table,
          column: r.column,
          category: r.category,
          exemption: r.exemption!,
          rows: 1,
        })),
      };
    },
    correct: async (who, options): Promise<WalkReport> => {
      this.calls.push({ op: 'correct' });
      let changes = 0;
      for (const r of this.rows.filter(this.#who(who))) {
        if (r.category === options.category && r.value !== options.value) {
          r.value = String(options.value);
          changes++;
        }
      }
      return {
        operation: 'correct',
        dryRun: false,
        at: '2026-01-15T12:00:00.000Z',
        tables: [],
        changes,
        retained: [],
      };
    },
  };
}
