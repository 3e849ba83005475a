// "My data" (P15): every personal value Vow can find for an account holder, grouped by category,
// with where each came from and what it is used for. Sources, best first: the datasets walker
// (Vow's own tables and the shop's annotated databases), else the subjects module's identifiers.
// The view says which sources it used, so it never claims more than it shows.

import type { Policy } from '../policy/index.js';
import type { AccountView } from './account-service.js';

/** One value as the person sees it: the value, where it came from, what it is used for. */
export interface MyDataValue {
  readonly value: string;
  readonly source: string;
  readonly purposes: readonly string[];
  /**
   * Where the value is stored, for pages that group one record's values together and word them
   * (the dataset's table, column and row); absent for values not read from a dataset.
   */
  readonly origin?: {
    readonly dataset: string;
    readonly table: string;
    readonly column: string;
    readonly row: string;
    readonly value: unknown;
  };
}

export interface MyDataView {
  readonly account: { readonly email: string | null; readonly verified: boolean; readonly createdAt: string };
  readonly linked: boolean;
  readonly categories: readonly {
    readonly category: string;
    readonly description: string;
    readonly values: readonly MyDataValue[];
  }[];
  readonly sources: readonly string[];
  readonly notes: readonly string[];
}

/** The part of the datasets service this view uses (src/datasets). */
export interface DatasetExportSource {
  export(
    who: { subjectIds?: readonly string[]; emails?: readonly string[]; accountIds?: readonly string[] },
    actor?: { type: 'subject'; id?: string },
  ): Promise<{
    readonly values: readonly {
      dataset: string;
      table: string;
      column: string;
      category: string;
      purposes: readonly string[];
      value: unknown;
      row?: string;
    }[];
  }>;
}

/** The part of the subjects service this view uses (src/subjects). */
export interface SubjectIdentifierSource {
  identifiers(subjectId: string): Promise<
    readonly {
      kind: string;
      value: unknown;
      field: string;
      collectionPoint: string;
      recordType: string;
      collectedAt: string;
    }[]
  >;
}

const KIND_CATEGORY: Record<string, string> = {
  email: 'contact.email',
  phone: 'contact.phone',
  address: 'contact.postal_address',
  account: 'account.profile',
};

function show(value: unknown): string {
  if (value === null || value === undefined) return '(erased)';
  if (typeof value === 'object')
    return Object.values(value as Record<string, unknown>)
      .filter(Boolean)
      .join(', ');
  return String(value);
}

export interface MyDataSources {
  readonly datasets?: DatasetExportSource | undefined;
  readonly subjects?: SubjectIdentifierSource | undefined;
}

export interface MyDataReport extends MyDataView {
  readonly generatedAt: string;
}

export async function buildMyData(
  policy: Policy,
  account: AccountView,
  sources: MyDataSources,
  now: Date,
): Promise<MyDataReport> {
  const doc = policy.doc as unknown as {
    categories: Record<string, { description: string }>;
    collection_points: Record<string, { title: string; fields: Record<string, { purposes: string[] }> }>;
  };
  const byCategory = new Map<string, MyDataValue[]>();
  const add = (category: string, v: MyDataValue) => {
    const list = byCategory.get(category) ?? [];
    list.push(v);
    byCategory.set(category, list);
  };
  const used: string[] = ['account'];
  const notes: string[] = [];
  add('contact.email', {
    value: account.email ?? '(erased)',
    source: 'Your account (the address you log in with)',
    purposes: ['Logging in, password resets'],
  });
  const verified = account.emailVerifiedAt !== null;
  const linked = account.subjectId !== null;
  if (!verified) {
    notes.push('Confirm your email address (we sent you a link) to see the information we hold about you.');
  } else if (!linked) {
    notes.push('We hold no information about you under this email address besides your account.');
  } else if (sources.datasets) {
    const subjectId = account.subjectId!;
    const exported = await sources.datasets.export(
      { subjectIds: [subjectId], emails: account.email ? [account.email] : [], accountIds: [account.id] },
      { type: 'subject', id: subjectId },
    );
    used.push('datasets');
    for (const v of exported.values) {
      add(v.category, {
        value: show(v.value),
        source: `${v.dataset}: ${v.table}.${v.column}`,
        purposes: [...v.purposes],
        origin: { dataset: v.dataset, table: v.table, column: v.column, row: v.row ?? '', value: v.value },
      });
    }
  } else if (sources.subjects) {
    const ids = await sources.subjects.identifiers(account.subjectId!);
    used.push('subjects');
    notes.push(
      'This page shows the contact details we hold about you; order history and other records are not listed here yet. A copy request covers everything.',
    );
    for (const i of ids) {
      const cp = doc.collection_points[i.collectionPoint];
      add(KIND_CATEGORY[i.kind] ?? i.kind, {
        value: show(i.value),
        source: `${cp?.title ?? i.collectionPoint} (${i.recordType}, ${i.collectedAt.slice(0, 10)})`,
        purposes: cp?.fields[i.field]?.purposes ?? [],
      });
    }
  } else {
    notes.push('Only your account is shown: the rest of our records cannot be searched from here yet.');
  }
  const categories = [...byCategory.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, values]) => ({
      category,
      description: doc.categories[category]?.description ?? category,
      values,
    }));
  return {
    generatedAt: now.toISOString(),
    account: { email: account.email, verified, createdAt: account.createdAt },
    linked,
    categories,
    sources: used,
    notes,
  };
}
