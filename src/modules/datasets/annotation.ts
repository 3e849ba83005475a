// Dataset annotations: a YAML file describing a database's tables, the columns holding personal
// data (each with its policy category and what deletion does to it) and how rows link to a person.
// Loading checks everything against the policy and reports each problem with its file:line.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { VowError } from '../../platform/errors.js';
import { counted } from '../../platform/strings.js';
import {
  formatProblem,
  isWithin,
  type Policy,
  type PolicyProblem,
  parseLocatedYaml,
} from '../policy/index.js';
import {
  type AnnotatedColumn,
  type AnnotatedTable,
  type DatasetAnnotation,
  DELETE_STRATEGIES,
  IDENTITY_KINDS,
  NAME_PARTS,
  type TableLink,
} from './types.js';

const sqlName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain SQL name (letters, digits, _)');

const columnSchema = z.strictObject({
  category: z.string().min(1),
  on_delete: z.enum(DELETE_STRATEGIES),
  exemption: z.string().min(1).optional(),
  mask_with: z.string().optional(),
  encrypted: z.literal('vault').optional(),
  /** Owner of the value (a subject id column), when it differs from the table's subject_column. */
  subject_column: sqlName.optional(),
  /** The vault key id the value is sealed under: `prefix` + this column (default: the owner column). */
  vault_key: z.strictObject({ column: sqlName, prefix: z.string().default('') }).optional(),
  /** The column holding this value's blind index; its kind is fixed (`kind`) or read from the row (`kind_by`). */
  blind_index: z
    .strictObject({
      column: sqlName,
      kind: z.enum(['email', 'phone', 'account', 'address']).optional(),
      kind_by: sqlName.optional(),
    })
    .refine((b) => (b.kind === undefined) !== (b.kind_by === undefined), 'give either kind or kind_by')
    .optional(),
  category_by: z
    .strictObject({ column: sqlName, values: z.record(z.string(), z.string().min(1)) })
    .optional(),
  /** The row names the value's category itself, in this column (e.g. a declared form's values). */
  category_from: sqlName.optional(),
  /** The part of a name the column holds (`given` or `family`): a whole-name correction is split. */
  name_part: z.enum(NAME_PARTS).optional(),
  json_fields: z
    .record(
      z.string().min(1),
      z.strictObject({
        category: z.string().min(1),
        on_delete: z.enum(['remove', 'retain']).default('remove'),
        exemption: z.string().min(1).optional(),
        name_part: z.enum(NAME_PARTS).optional(),
      }),
    )
    .optional(),
});

const identitySchema = z.strictObject({
  column: sqlName,
  kind: z.enum(IDENTITY_KINDS),
  match: z.enum(['plain', 'blind_index']).default('plain'),
});

const linkSchema = z.strictObject({
  column: sqlName,
  /** `table` or `table.column`. */
  to: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, 'must be `table` or `table.column`'),
});

const tableSchema = z.strictObject({
  description: z.string().optional(),
  primary_key: z.union([sqlName, z.array(sqlName).min(1)]).default('id'),
  subject_column: sqlName.optional(),
  identity: z.array(identitySchema).default([]),
  links: z.array(linkSchema).default([]),
  columns: z.record(sqlName, columnSchema).default({}),
});

const annotationSchema = z.strictObject({
  vow_dataset: z.literal(1),
  name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _'),
  description: z.string().optional(),
  tables: z.record(sqlName, tableSchema),
});

type AnnotationDoc = z.infer<typeof annotationSchema>;

export const DEFAULT_MASK = '[deleted]';

const keysOf = (pk: string | string[]): string[] => (typeof pk === 'string' ? [pk] : pk);

interface Problem {
  path: PropertyKey[];
  message: string;
}

/** Cross-checks: categories and exemptions against the policy, links, cycles, reachability. */
function validate(doc: AnnotationDoc, policy: Policy): Problem[] {
  const problems: Problem[] = [];
  const tables = doc.tables;
  const checkExemption = (at: PropertyKey[], category: string, exemption: string): void => {
    const ex = Object.hasOwn(policy.doc.exemptions, exemption) ? policy.doc.exemptions[exemption] : undefined;
    if (!ex) problems.push({ path: [...at, 'exemption'], message: `unknown exemption "${exemption}"` });
    else if (policy.hasCategory(category) && !ex.categories.some((k) => isWithin(category, k)))
      problems.push({
        path: [...at, 'exemption'],
        message: `exemption "${exemption}" does not cover category "${category}" (it covers ${ex.categories.join(', ')})`,
      });
  };
  const checkCategory = (at: PropertyKey[], category: string): void => {
    if (!policy.hasCategory(category)) problems.push({ path: at, message: `unknown category "${category}"` });
  };
  for (const [tname, t] of Object.entries(tables)) {
    const keyColumns = typeof t.primary_key === 'string' ? [t.primary_key] : t.primary_key;
    for (const [cname, c] of Object.entries(t.columns)) {
      const at = ['tables', tname, 'columns', cname];
      checkCategory([...at, 'category'], c.category);
      for (const [v, cat] of Object.entries(c.category_by?.values ?? {}))
        checkCategory([...at, 'category_by', 'values', v], cat);
      for (const [f, spec] of Object.entries(c.json_fields ?? {})) {
        const fat = [...at, 'json_fields', f];
        checkCategory([...fat, 'category'], spec.category);
        if (spec.on_delete === 'retain') {
          if (!spec.exemption)
            problems.push({
              path: [...fat, 'on_delete'],
              message: 'a retained field must name the exemption it relies on',
            });
          else checkExemption(fat, spec.category, spec.exemption);
        } else if (spec.exemption)
          problems.push({
            path: [...fat, 'exemption'],
            message: 'an exemption only applies to on_delete: retain',
          });
      }
      if (c.on_delete === 'retain') {
        if (!c.exemption) {
          problems.push({
            path: [...at, 'on_delete'],
            message: 'a retained column must name the exemption it relies on (exemption: …)',
          });
        } else {
          checkExemption(at, c.category, c.exemption);
          for (const cat of Object.values(c.category_by?.values ?? {})) checkExemption(at, cat, c.exemption);
        }
      } else if (c.exemption) {
        problems.push({
          path: [...at, 'exemption'],
          message: `an exemption only applies to on_delete: retain (this column is ${c.on_delete})`,
        });
      }
      const isKey = keyColumns.includes(cname) || t.links.some((l) => l.column === cname);
      if (isKey && (c.on_delete === 'null' || c.on_delete === 'mask' || c.mask_with !== undefined)) {
        problems.push({
          path: [...at, 'on_delete'],
          message: 'a primary key or link column can only be retained or go with its row (delete_row)',
        });
      }
      if (c.encrypted === 'vault' && !t.subject_column && !c.subject_column && !c.vault_key) {
        problems.push({
          path: [...at, 'encrypted'],
          message:
            'a vault-encrypted column needs the table to name its subject_column (the owner of the key)',
        });
      }
      if (c.mask_with !== undefined && c.on_delete !== 'mask' && c.on_delete !== 'delete_row') {
        problems.push({
          path: [...at, 'mask_with'],
          message: 'mask_with only applies to on_delete: mask (or delete_row, for a row that must stay)',
        });
      }
      if (c.category_from && (c.category_by || c.json_fields)) {
        problems.push({
          path: [...at, 'category_from'],
          message: 'category_from cannot be combined with category_by or json_fields',
        });
      }
      if (c.name_part && (c.json_fields || c.category_by || c.category_from)) {
        problems.push({
          path: [...at, 'name_part'],
          message: 'name_part applies to a column holding one value (for a JSON object, give it on its key)',
        });
      }
      if (c.blind_index && c.encrypted !== 'vault') {
        problems.push({
          path: [...at, 'blind_index'],
          message: 'blind_index only applies to encrypted: vault',
        });
      }
    }
    t.links.forEach((l, i) => {
      const [target, refCol] = l.to.split('.');
      const parent = target === undefined ? undefined : tables[target];
      if (!parent) {
        problems.push({
          path: ['tables', tname, 'links', i, 'to'],
          message: `dangling link: no annotated table "${target}"`,
        });
      } else if (refCol === undefined && keysOf(parent.primary_key).length > 1) {
        problems.push({
          path: ['tables', tname, 'links', i, 'to'],
          message: `"${target}" has a composite key: name the column linked to (${target}.column)`,
        });
      } else if (
        refCol !== undefined &&
        !keysOf(parent.primary_key).includes(refCol) &&
        !(refCol in parent.columns)
      ) {
        const isIdentity = parent.identity.some((x) => x.column === refCol);
        if (!isIdentity)
          problems.push({
            path: ['tables', tname, 'links', i, 'to'],
            message: `dangling link: "${target}" has no primary key, annotated or identity column "${refCol}"`,
          });
      }
    });
    if (t.identity.length === 0 && t.links.length === 0) {
      problems.push({
        path: ['tables', tname],
        message: 'table is not linked to a person: give it an identity column or a link to another table',
      });
    }
  }

  // Cycles: depth-first search over links (child -> parent); report each cycle once, at its first link.
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    state.set(name, 'visiting');
    const t = tables[name];
    t?.links.forEach((l, i) => {
      const target = l.to.split('.')[0] ?? '';
      if (!tables[target]) return;
      if (state.get(target) === 'visiting') {
        const cycle = [...trail.slice(trail.indexOf(target)), name, target];
        const key = [...new Set(cycle)].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          problems.push({
            path: ['tables', name, 'links', i, 'to'],
            message: `links form a cycle: ${cycle.join(' -> ')}`,
          });
        }
      } else visit(target, [...trail, name]);
    });
    state.set(name, 'done');
  };
  for (const name of Object.keys(tables)) visit(name, []);
  return problems;
}

/** Tables ordered so every parent comes before its children (the annotation is acyclic). */
function walkingOrder(tables: AnnotatedTable[]): AnnotatedTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const out: AnnotatedTable[] = [];
  const seen = new Set<string>();
  const add = (t: AnnotatedTable): void => {
    if (seen.has(t.name)) return;
    seen.add(t.name);
    for (const l of t.links) {
      const p = byName.get(l.table);
      if (p) add(p);
    }
    out.push(t);
  };
  for (const t of tables) add(t);
  return out;
}

function compile(doc: AnnotationDoc, file: string): DatasetAnnotation {
  const tables: AnnotatedTable[] = Object.entries(doc.tables).map(([name, t]) => {
    const columns: AnnotatedColumn[] = Object.entries(t.columns).map(([cname, c]) => ({
      name: cname,
      category: c.category,
      onDelete: c.on_delete,
      exemption: c.exemption,
      maskWith: c.mask_with ?? DEFAULT_MASK,
      fallbackMask: c.on_delete === 'delete_row' && c.mask_with !== undefined,
      encrypted: c.encrypted,
      subjectColumn: c.subject_column ?? t.subject_column,
      vaultKey: c.vault_key,
      blindIndex: c.blind_index
        ? { column: c.blind_index.column, kind: c.blind_index.kind, kindBy: c.blind_index.kind_by }
        : undefined,
      categoryBy: c.category_by,
      categoryFrom: c.category_from,
      namePart: c.name_part,
      fields: c.json_fields
        ? Object.entries(c.json_fields).map(([f, spec]) => ({
            name: f,
            category: spec.category,
            onDelete: spec.on_delete,
            exemption: spec.exemption,
            namePart: spec.name_part,
          }))
        : undefined,
    }));
    const links: TableLink[] = t.links.map((l) => {
      const [table, ref] = l.to.split('.');
      const parent = doc.tables[table ?? ''];
      return {
        column: l.column,
        table: table ?? '',
        references: ref ?? keysOf(parent?.primary_key ?? 'id')[0] ?? 'id',
      };
    });
    return {
      name,
      primaryKey: keysOf(t.primary_key),
      identity: t.identity,
      links,
      columns,
      subjectColumn: t.subject_column,
    };
  });
  return { name: doc.name, description: doc.description, file, tables: walkingOrder(tables) };
}

/** Parses annotation text against a policy: the annotation, or every problem located by line. */
export function parseAnnotation(
  source: string,
  policy: Policy,
  file = '(annotation)',
):
  | {
      ok: true;
      annotation: DatasetAnnotation;
      /** Line and column of a path in the file, for problems found later (e.g. against the database). */
      locate: (segments: readonly PropertyKey[]) => { line?: number; column?: number };
    }
  | { ok: false; problems: PolicyProblem[] } {
  const result = parseLocatedYaml(source, annotationSchema, (doc) => validate(doc, policy));
  return result.ok ? { ok: true, annotation: compile(result.data, file), locate: result.locate } : result;
}

/** Loads an annotation file, throwing VOW_DATASET_INVALID with every located problem. */
export function loadAnnotationFile(file: string, policy: Policy): DatasetAnnotation {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new VowError('VOW_DATASET_NOT_FOUND', `Cannot read the dataset annotation ${file}`, undefined, {
      cause: err,
    });
  }
  const name = path.relative(process.cwd(), file) || file;
  const result = parseAnnotation(source, policy, name);
  if (!result.ok) {
    const lines = result.problems.map((p) => formatProblem(name, p));
    throw new VowError(
      'VOW_DATASET_INVALID',
      `The dataset annotation ${name} has ${counted(lines.length, 'problem')}:\n${lines.join('\n')}`,
      { problems: result.problems },
    );
  }
  return result.annotation;
}
