// Which datasets Vow walks: Vow's own tables (datasets/vow.yaml, over Vow's store) plus the
// retailer's databases listed in the VOW_DATASETS file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { VowError } from '../../platform/errors.js';
import type { Policy } from '../policy/index.js';
import { formatProblem, type PolicyProblem, parseLocatedYaml, type RawProblem } from '../policy/index.js';
import { loadAnnotationFile } from './annotation.js';
import type { DatasetAnnotation } from './types.js';

/** The annotation of Vow's own tables, shipped with Vow. */
export const VOW_ANNOTATION_PATH = fileURLToPath(new URL('../../../datasets/vow.yaml', import.meta.url));
/** The example shop's annotation, shipped with Vow. */
export const EXAMPLE_SHOP_ANNOTATION_PATH = fileURLToPath(
  new URL('../../../datasets/example-shop.yaml', import.meta.url),
);

const entrySchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _'),
  /** Path of the annotation YAML, relative to the VOW_DATASETS file. */
  annotation: z.string().min(1),
  /** Connection URL: postgres://…, mysql://… (or mariadb://…), sqlite:PATH. */
  url: z.string().min(1).optional(),
  /** Name of an environment variable holding the URL, to keep passwords out of the file. */
  url_env: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/)
    .refine((s) => !s.startsWith('VOW_'), 'must not start with VOW_ (those are Vow settings)')
    .optional(),
});

const fileSchema = z.strictObject({
  datasets: z.array(entrySchema),
});

export interface DatasetConfig {
  readonly name: string;
  readonly annotation: DatasetAnnotation;
  readonly url: string;
}

/** Reads the VOW_DATASETS file: each dataset's annotation (checked) and connection URL. */
export function loadDatasetsFile(
  file: string,
  policy: Policy,
  env: NodeJS.ProcessEnv = process.env,
): DatasetConfig[] {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new VowError('VOW_DATASET_NOT_FOUND', `Cannot read the datasets file ${file}`, undefined, {
      cause: err,
    });
  }
  const name = path.relative(process.cwd(), file) || file;
  const fail = (problems: readonly PolicyProblem[]): never => {
    const lines = problems.map((p) => formatProblem(name, p));
    throw new VowError(
      'VOW_DATASET_INVALID',
      `The datasets file ${name} has problems:\n${lines.join('\n')}`,
      {
        problems: lines,
      },
    );
  };
  const seen = new Set<string>(['vow']);
  const out: DatasetConfig[] = [];
  const parsed = parseLocatedYaml(source, fileSchema, (data) => {
    const problems: RawProblem[] = [];
    data.datasets.forEach((d, i) => {
      if (seen.has(d.name))
        problems.push({ path: ['datasets', i, 'name'], message: `duplicate dataset name "${d.name}"` });
      seen.add(d.name);
      const url = d.url ?? (d.url_env ? env[d.url_env] : undefined);
      if (!url)
        problems.push({
          path: ['datasets', i],
          message: d.url_env ? `the variable ${d.url_env} is not set` : 'give the dataset a url or url_env',
        });
    });
    return problems;
  });
  if (!parsed.ok) return fail(parsed.problems);
  for (const d of parsed.data.datasets) {
    const url = (d.url ?? (d.url_env ? env[d.url_env] : undefined))!;
    const annotation = loadAnnotationFile(path.resolve(path.dirname(file), d.annotation), policy);
    out.push({ name: d.name, annotation, url });
  }
  return out;
}
