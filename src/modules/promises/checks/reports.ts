// Aggregate reports (P6), from the policy's `reports` protections in force when each was released:
// every release within the policy's ε, threshold and contribution cap, no released cell under the
// threshold, every receipt to a recipient allowed aggregates, and no recipient charged more ε in a
// period than its budget. Read whole at every run (a few releases per week).
import { parsePolicy, type ReportSettings, reportsSchema } from '../../policy/index.js';
import { isoWeekOf } from '../../reports/index.js';
import { reportsCover } from '../covers.js';
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
  ...reportsCover,
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
    }
    // The budget as the reports module charges it (P6): per recipient, the ε received in each
    // calendar ISO week of receipt, and over the rolling window of `lifetime_days` ending at each
    // receipt, under the settings of the policy in force.
    const s = settings(env.map.policy.version);
    const byRecipient = new Map<string, typeof receipts>();
    for (const rc of receipts) byRecipient.set(rc.recipient, [...(byRecipient.get(rc.recipient) ?? []), rc]);
    for (const [recipient, list] of byRecipient) {
      const sorted = [...list].sort((a, b) =>
        a.at < b.at ? -1 : a.at > b.at ? 1 : Number(a.seq) - Number(b.seq),
      );
      const weekly = new Map<string, { milli: number; seq: number }>();
      for (const rc of sorted) {
        const week = isoWeekOf(new Date(rc.at));
        const prev = weekly.get(week);
        weekly.set(week, { milli: (prev?.milli ?? 0) + Number(rc.epsilon_milli), seq: Number(rc.seq) });
      }
      for (const [week, v] of weekly)
        if (v.milli > Math.round(s.budget_per_week * 1000))
          flag(
            'report_receipts',
            String(v.seq),
            'report.budget_week',
            'A recipient received more ε in one week than its budget',
            {
              recipient,
              week,
              spent: v.milli / 1000,
              budget: s.budget_per_week,
            },
          );
      let start = 0;
      let windowMilli = 0;
      const lifetimeMs = s.lifetime_days * 86_400_000;
      for (const rc of sorted) {
        windowMilli += Number(rc.epsilon_milli);
        const at = Date.parse(rc.at);
        while (start < sorted.length && Date.parse(sorted[start]!.at) <= at - lifetimeMs) {
          windowMilli -= Number(sorted[start]!.epsilon_milli);
          start++;
        }
        if (windowMilli > Math.round(s.budget_lifetime * 1000))
          flag(
            'report_receipts',
            String(rc.seq),
            'report.budget_lifetime',
            `A recipient received more ε in ${s.lifetime_days} days than its lifetime budget`,
            { recipient, spent: windowMilli / 1000, budget: s.budget_lifetime, days: s.lifetime_days },
          );
      }
    }
    return 'done';
  },
};
