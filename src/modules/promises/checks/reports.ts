// Aggregate reports (P6), from the policy's `reports` protections in force when each was released:
// every release within the policy's ε, threshold and contribution cap, no released cell under the
// threshold, every receipt to a recipient allowed aggregates, and no recipient charged more ε in a
// period than its budget. Read whole at every run (a few releases per week).
import { parsePolicy, type ReportSettings, reportsSchema } from '../../policy/index.js';
import { ALL, type Family, type FamilyEnv, parseJson } from '../family.js';
import { ATTRIBUTION } from '../policy-map.js';

/** The recipient name of Vow's own staff in report receipts (src/modules/reports). */
const INTERNAL = 'internal';

/** The report settings of each policy version (the one in force, or an earlier one from policy_versions). */
async function settingsOf(env: FamilyEnv): Promise<(version: string) => ReportSettings> {
  const current = reportsSchema.parse(env.map.policy.doc.reports ?? {});
  const cache = new Map<string, ReportSettings>([[env.map.policy.version, current]]);
  const rows = await env.ctx.store.db.selectFrom('policy_versions').select(['version', 'source']).execute();
  for (const r of rows) {
    if (cache.has(r.version)) continue;
    const parsed = parsePolicy(r.source);
    if (parsed.ok) cache.set(r.version, reportsSchema.parse(parsed.policy.doc.reports ?? {}));
  }
  return (version) => cache.get(version) ?? current;
}

export const reportsFamily: Family = {
  id: 'reports',
  covers() {
    return {
      [ATTRIBUTION.aggregateOnly]:
        'every aggregate report released within the policy’s ε, threshold, contribution cap and per-recipient budget',
    };
  },
  async run(env, sink) {
    sink.checked(ALL);
    const db = env.ctx.store.db;
    const settings = await settingsOf(env);
    const releases = await db.selectFrom('report_releases').selectAll().execute();
    const byId = new Map(releases.map((r) => [r.id, r]));
    const flag = (
      table: string,
      row: string,
      rule: string,
      reason: string,
      values: Record<string, string | number | null>,
    ) => sink.add(ALL, { promise: ATTRIBUTION.aggregateOnly, table, row, rule, reason, values });
    for (const r of releases) {
      const s = settings(r.policy_version);
      const base = { report: r.report, period: r.period };
      if (Number(r.epsilon_milli) > Math.round(s.epsilon_per_query * 1000))
        flag(
          'report_releases',
          r.id,
          'report.epsilon',
          'The release spent more ε than the policy allows one report',
          {
            ...base,
            epsilon: Number(r.epsilon_milli) / 1000,
            allowed: s.epsilon_per_query,
          },
        );
      if (Number(r.threshold) < s.threshold)
        flag(
          'report_releases',
          r.id,
          'report.threshold',
          'The release used a lower threshold than the policy’s',
          {
            ...base,
            threshold: Number(r.threshold),
            required: s.threshold,
          },
        );
      if (Number(r.contribution_cap) > s.contribution_cap)
        flag(
          'report_releases',
          r.id,
          'report.contribution_cap',
          'One person could count in more cells than the policy allows',
          {
            ...base,
            cap: Number(r.contribution_cap),
            allowed: s.contribution_cap,
          },
        );
      const cells = parseJson<{ key?: unknown; count?: unknown }[]>(r.cells);
      const under = Array.isArray(cells)
        ? cells.filter(
            (c) => typeof c.count === 'number' && c.count < Math.max(s.threshold, Number(r.threshold)),
          ).length
        : -1;
      if (under !== 0)
        flag(
          'report_releases',
          r.id,
          'report.cells_over_threshold',
          under < 0 ? 'The released cells cannot be read' : 'A released cell is under the threshold',
          {
            ...base,
            cells_under: under,
            threshold: s.threshold,
          },
        );
    }
    const receipts = await db.selectFrom('report_receipts').selectAll().execute();
    const spent = new Map<string, { milli: number; version: string; seq: number }>();
    for (const rc of receipts) {
      const release = byId.get(rc.release_id);
      const recipient = env.map.policy.recipient(rc.recipient);
      const aggregate = recipient?.purposes.some(
        (p) => env.map.policy.doc.purposes[p]?.aggregate_only === true,
      );
      if (rc.recipient !== INTERNAL && !aggregate)
        flag(
          'report_receipts',
          String(rc.seq),
          'report.recipient_allowed',
          'A report went to a recipient the policy gives no aggregates',
          {
            recipient: rc.recipient,
            period: rc.period,
          },
        );
      if (!release)
        flag(
          'report_receipts',
          String(rc.seq),
          'report.release_exists',
          'A receipt names a release that does not exist',
          {
            recipient: rc.recipient,
            period: rc.period,
          },
        );
      const key = `${rc.recipient}\n${rc.period}`;
      const prev = spent.get(key);
      spent.set(key, {
        milli: (prev?.milli ?? 0) + Number(rc.epsilon_milli),
        version: release?.policy_version ?? prev?.version ?? env.map.policy.version,
        seq: Math.max(prev?.seq ?? 0, Number(rc.seq)),
      });
    }
    for (const [key, v] of spent) {
      const [recipient, period] = key.split('\n') as [string, string];
      const budget = Math.round(settings(v.version).budget_per_period * 1000);
      if (v.milli > budget)
        flag(
          'report_receipts',
          String(v.seq),
          'report.budget',
          'A recipient received more ε in one period than its budget',
          {
            recipient,
            period,
            spent: v.milli / 1000,
            budget: budget / 1000,
          },
        );
    }
    return 'done';
  },
};
