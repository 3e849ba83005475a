// Test data of the aggregate reports suites: a policy with another `reports` section, a week of
// visits and registrations (2026-W02), and asking for a report over HTTP.
import { loadPolicy } from '../../src/modules/policy/index.js';
import { parsePolicy } from '../../src/modules/policy/load-policy.js';
import type { TestEnv } from '../helpers/env.js';
import {
  type EventRow,
  ensureSourceTables,
  grantAnalytics,
  insertEvents,
  insertRegistrations,
} from './experiments-fixtures.js';

// The test clock starts on Thursday 2026-01-15 (ISO week 2026-W03): W02 and W01 are finished.
const W02 = '2026-01-05T00:00:00.000Z';
const at = (start: string, hours: number): string =>
  new Date(Date.parse(start) + hours * 3_600_000).toISOString();

/** The default policy's source without its `reports` section. */
export function withoutReports(): string {
  return loadPolicy().source.replace(/\nreports:\n(?: {2}.*\n?)*/, '\n');
}

/** The default policy with its `reports` section replaced. */
export function policyWithReports(section: string): ReturnType<typeof loadPolicy> {
  const parsed = parsePolicy(`${withoutReports()}\nreports:\n${section}`);
  if (!parsed.ok) throw new Error(`test policy invalid: ${JSON.stringify(parsed)}`);
  return parsed.policy;
}

export async function seedWeek2(env: { ctx: Parameters<typeof insertEvents>[0] }): Promise<void> {
  const { ctx } = env;
  await ensureSourceTables(ctx);
  const events: EventRow[] = [];
  // 300 visitors in rings, 120 in watches; 40 who visit four areas (only two count each);
  // one visitor alone in an area nobody else visits; 30 small areas of 50 visitors each.
  for (let i = 0; i < 300; i++)
    events.push({ visitor: `r${i}`, type: 'page_view', area: 'rings', at: at(W02, 1 + (i % 100)) });
  for (let i = 0; i < 120; i++)
    events.push({ visitor: `w${i}`, type: 'page_view', area: 'watches', at: at(W02, 2 + (i % 100)) });
  for (let i = 0; i < 40; i++) {
    ['bridal', 'sale', 'rings', 'watches'].forEach((area, k) => {
      events.push({ visitor: `m${i}`, type: 'page_view', area, at: at(W02, 10 + k) });
    });
  }
  events.push({ visitor: 'lonely-visitor', type: 'page_view', area: 'private-viewing', at: at(W02, 5) });
  for (let a = 0; a < 30; a++) {
    for (let i = 0; i < 50; i++)
      events.push({ visitor: `s${a}-${i}`, type: 'page_view', area: `area-${a}`, at: at(W02, 20) });
  }
  // Outside the week: not counted.
  events.push({ visitor: 'late', type: 'page_view', area: 'late-area', at: at(W02, 7 * 24 + 1) });
  await grantAnalytics(ctx, [...new Set(events.map((e) => e.visitor))]);
  // 100 visitors whose analytics consent does not stand (never given, or withdrawn): not counted.
  for (let i = 0; i < 100; i++)
    events.push({ visitor: `nc${i}`, type: 'page_view', area: 'no-consent-area', at: at(W02, 3) });
  await insertEvents(ctx, events);
  const regs: { subjectId: string; gender: string | null; at: string }[] = [];
  for (let i = 0; i < 60; i++) regs.push({ subjectId: `men-${i}`, gender: 'male', at: at(W02, 30 + i) });
  for (let i = 0; i < 80; i++) regs.push({ subjectId: `women-${i}`, gender: 'female', at: at(W02, 30 + i) });
  for (let i = 0; i < 10; i++) regs.push({ subjectId: `na-${i}`, gender: 'no_answer', at: at(W02, 40) });
  regs.push({ subjectId: 'men-0', gender: 'male', at: at(W02, 100) }); // the same person again
  // Week 1: three men, plus 40 women marked under 13 (P14) and 40 men whose processing is
  // restricted (P23): neither group is counted, so both cells stay far below the threshold.
  for (let i = 0; i < 3; i++)
    regs.push({ subjectId: `w1-${i}`, gender: 'male', at: '2026-01-01T10:00:00.000Z' });
  const now = ctx.clock.now().toISOString();
  for (let i = 0; i < 40; i++) {
    regs.push({ subjectId: `young-${i}`, gender: 'female', at: '2026-01-02T10:00:00.000Z' });
    regs.push({ subjectId: `restricted-${i}`, gender: 'male', at: '2026-01-02T10:00:00.000Z' });
    await ctx.store.db
      .insertInto('subjects')
      .values({ id: `young-${i}`, created_at: now, updated_at: now, under13: 1 })
      .execute();
    await ctx.store.db
      .insertInto('restrictions')
      .values({
        id: `r-${i}`,
        subject_id: `restricted-${i}`,
        scope: i % 2 === 0 ? 'all' : 'purposes',
        purposes: JSON.stringify(['reporting']),
        started_at: now,
        lifted_at: null,
        request_id: null,
      })
      .execute();
  }
  await insertRegistrations(ctx, regs);
}

/** Asks for a report over HTTP, the way staff do. */
export function ask(env: TestEnv, path: string) {
  return env.app.inject({ method: 'GET', url: `/v1/reports/${path}` });
}
