// `vow records-of-processing`: the record of processing activities (GDPR Art. 30(1)) derived from
// the policy in force and the dataset annotations (Vow's own and VOW_DATASETS), as text, JSON or
// CSV; what GET /v1/records-of-processing answers, without a running Vow or a database.
import type { Command } from 'commander';
import type { DatasetAnnotation, RecordOfProcessing } from '../modules/datasets/light.js';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The record as Markdown: the controller, one section per activity, the security measures. */
export function recordOfProcessingText(r: RecordOfProcessing): string {
  const c = r.controller;
  const list = (xs: readonly string[]) => (xs.length ? xs.join('; ') : 'none');
  const lines = [
    `# Record of processing activities (${r.basis})`,
    '',
    `${r.policy.name}, version ${r.policy.version}, effective ${r.policy.effectiveDate}.`,
    '',
    '## Controller',
    '',
    `- Name: ${c.name} (${c.website})`,
    `- Contact: ${c.email}; ${c.phone}; ${c.postalAddress}`,
    `- Representative: ${c.representative}`,
    `- Data protection officer: ${c.dataProtectionOfficer}`,
  ];
  for (const a of r.activities) {
    lines.push(
      '',
      `## ${a.description} (${a.purpose})`,
      '',
      `- Legal basis: ${a.legalBasis}`,
      `- Data subjects: ${list(a.subjectKinds.map((k) => k.description))}`,
      `- Personal data: ${list(a.categories.map((k) => `${k.description} (${k.id})`))}`,
      `- Collected by: ${list(a.sources.map((s) => s.description))}`,
      `- Recipients: ${list(a.recipients.map((x) => `${x.name} (${x.role === 'processor' ? 'processor' : 'third party'})`))}`,
      `- Transfers to third countries: ${typeof a.transfers === 'string' ? a.transfers : list(a.transfers.map((t) => `${t.recipient} to ${t.country} (${t.safeguards})`))}`,
      `- Time limits for erasure: ${list(a.retention.map((x) => `${x.category}${x.subjectKinds.length ? ` of ${x.subjectKinds.join(', ')}` : ''}: ${x.inWords} (${x.keepFor})`))}`,
      `- Where it is stored: ${list([...new Set(a.locations.map((l) => `${l.dataset}.${l.table}`))])}`,
    );
  }
  lines.push('', '## Security measures', '', `- The policy says: ${r.security.statement}`);
  for (const m of r.security.measures) lines.push(`- ${m}`);
  return lines.join('\n');
}

export function registerRecordsOfProcessingCommand(program: Command, io: Io): void {
  program
    .command('records-of-processing')
    .description(
      'Print the record of processing activities (GDPR Art. 30) derived from the policy and the dataset annotations',
    )
    .option('--json', 'as JSON (what GET /v1/records-of-processing answers)')
    .option('--csv', 'as CSV, one row per activity')
    .option('-p, --policy <file>', 'policy file instead of VOW_POLICY or the default')
    .action(async (opts: { json?: boolean; csv?: boolean; policy?: string }) => {
      const [
        { loadConfig },
        { loadPolicy },
        {
          buildRecordOfProcessing,
          loadAnnotationFile,
          loadDatasetsFile,
          recordOfProcessingCsv,
          VOW_ANNOTATION_PATH,
        },
      ] = await Promise.all([
        import('../platform/config.js'),
        import('../modules/policy/index.js'),
        // The datasets module's light entry: the annotations and the record, no connector or store.
        import('../modules/datasets/light.js'),
      ]);
      const config = loadConfig();
      const policy = loadPolicy(opts.policy ?? config.policyPath);
      const annotations: DatasetAnnotation[] = [
        { ...loadAnnotationFile(VOW_ANNOTATION_PATH, policy), name: 'vow' },
        ...(config.datasetsPath ? loadDatasetsFile(config.datasetsPath, policy) : []).map((d) => ({
          ...d.annotation,
          name: d.name,
        })),
      ];
      const record = buildRecordOfProcessing(policy, annotations);
      if (opts.csv) io.out(recordOfProcessingCsv(record).trimEnd());
      else if (opts.json) io.out(JSON.stringify(record, null, 2));
      else io.out(recordOfProcessingText(record));
    });
}
