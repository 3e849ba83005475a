// The store figures of `npm run bench`: a generated (or reused) store of VOW_BENCH_PEOPLE people, its
// streamed audience against the raw query, then one person's export and deletion.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pino from 'pino';
import { createContext } from '../src/app/context.js';
import { createServices, type Services } from '../src/app/services.js';
import { generateDemo } from '../src/cli/demo/generator.js';
import type { VowContext } from '../src/modules/policy/index.js';
import { seededRandom } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { BENCH_MASTER_KEY, type Out, percentile, rssMb } from './common.js';
import { startServer, stopServer } from './http.js';
import { AUDIENCE, PEOPLE, SAMPLES } from './knobs.js';

async function openBenchContext(dir: string): Promise<VowContext> {
  return createContext(
    loadConfig({ VOW_DATA_DIR: dir, VOW_LOG_LEVEL: 'silent', VOW_MASTER_KEY: BENCH_MASTER_KEY }),
    { logger: pino({ level: 'silent' }), random: seededRandom(2026, { ordered: true }) },
  );
}

/** A SQLite store of PEOPLE generated people (reused from VOW_BENCH_STORE_DIR when it matches). */
async function generatedStore(out: Out): Promise<{ dir: string; temporary: boolean }> {
  const keep = process.env.VOW_BENCH_STORE_DIR;
  const dir = keep ? path.resolve(keep) : mkdtempSync(path.join(os.tmpdir(), 'vow-bench-store-'));
  const marker = path.join(dir, 'bench-people.txt');
  if (keep && existsSync(marker) && readFileSync(marker, 'utf8').trim() === String(PEOPLE)) {
    out.log(`reusing the generated store of ${PEOPLE} people in ${dir}`);
    out.notes.push(
      `store of ${PEOPLE.toLocaleString('en-US')} people reused from ${dir} (generation not re-measured)`,
    );
    return { dir, temporary: false };
  }
  if (keep) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  const ctx = await openBenchContext(dir);
  try {
    const services = createServices(ctx);
    const cpu0 = process.cpuUsage();
    let shown = 0;
    const stats = await generateDemo(ctx, services, {
      people: PEOPLE,
      seed: 2026,
      batchSize: 1000,
      visitorsPerPerson: 0.2,
      experimentVisitors: 100,
      onProgress: (s) => {
        if (s.people - shown >= Math.max(5000, PEOPLE / 10)) {
          shown = s.people;
          out.log(
            `  generated ${s.people.toLocaleString('en-US')} / ${PEOPLE.toLocaleString('en-US')} (${Math.round(s.peoplePerSecond)} people/s)`,
          );
        }
      },
    });
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    out.rows.push({
      name: `vow demo generator, ${PEOPLE.toLocaleString('en-US')} people into SQLite`,
      value: stats.peoplePerSecond,
      unit: `people/s (${stats.seconds.toFixed(0)} s wall, ${cpuSeconds.toFixed(0)} s CPU; ${stats.orders.toLocaleString('en-US')} orders)`,
      floorName: 'CPU-bound rate (people / CPU s)',
      floor: stats.people / cpuSeconds,
      ratio: stats.peoplePerSecond / (stats.people / cpuSeconds),
      target: 'report only',
      met: undefined,
    });
  } finally {
    await ctx.store.close();
  }
  if (keep) writeFileSync(marker, String(PEOPLE));
  return { dir, temporary: !keep };
}

async function benchAudience(dir: string, out: Out): Promise<void> {
  // Floor: the raw SQL that selects the same rows (email of everyone enrolled), straight from SQLite.
  // Run twice and keep the faster: the first run may read a cold file from disk (the server's run
  // comes after it and would find the file in the OS cache, an unfair floor).
  const raw = new SQLite(path.join(dir, 'vow.sqlite'), { readonly: true });
  let rawMs = Number.POSITIVE_INFINITY;
  let rawRows = 0;
  for (let run = 0; run < 2; run++) {
    const t0 = performance.now();
    rawRows = 0;
    for (const _ of raw
      .prepare(
        `select cs.subject_ref, si.sealed_value, k.wrapped_key from consent_state cs
       join subject_identifiers si on si.subject_id = cs.subject_ref and si.kind = 'email'
       join data_keys k on k.subject_id = cs.subject_ref
       where cs.channel = '${AUDIENCE}' and cs.state in ('enrolled', 'granted')
       order by cs.subject_ref`,
      )
      .iterate())
      rawRows++;
    rawMs = Math.min(rawMs, performance.now() - t0);
  }
  raw.close();

  const vow = await startServer('vow', dir);
  try {
    const pid = vow.child.pid!;
    let peak = rssMb(pid);
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid));
    }, 20);
    const t1 = performance.now();
    const res = await fetch(`${vow.url}/v1/service/audiences/${AUDIENCE}`, {
      headers: { authorization: `Bearer ${vow.apiKey}` },
    });
    let lines = 0;
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      lines += decoder.decode(chunk, { stream: true }).split('\n').length - 1;
    const ms = performance.now() - t1;
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(pid));
    out.rows.push({
      name: `${AUDIENCE} audience of ${PEOPLE.toLocaleString('en-US')} people (HTTP, streamed NDJSON)`,
      value: ms,
      unit: `ms for ${lines.toLocaleString('en-US')} members (status ${res.status})`,
      floorName: `raw SQL, same rows (${rawRows.toLocaleString('en-US')}; faster of 2 runs)`,
      floor: rawMs,
      ratio: rawMs / ms,
      target: '>= 0.33 (within 3x)',
      met: res.status === 200 && rawMs / ms >= 1 / 3,
    });
    out.rows.push({
      name: 'peak RSS of the server while streaming the audience',
      value: peak,
      unit: 'MB',
      floorName: 'limit',
      floor: 200,
      ratio: 200 / peak,
      target: '< 200 MB',
      met: peak < 200,
    });
  } finally {
    await stopServer(vow);
  }
}

async function benchPerPerson(dir: string, out: Out): Promise<void> {
  const ctx = await openBenchContext(dir);
  try {
    const services: Services = createServices(ctx);
    // Evenly spread people who bought something (they have the most rows); in a store filled by
    // `vow import` of customers, who have no orders, registered people.
    // (Not yet deleted: a reused store keeps earlier runs' deletions.)
    const withKeys = (table: 'orders' | 'registrations', column: 'buyer_subject_id' | 'subject_id') =>
      sql<{ subject_id: string }>`select t.${sql.ref(column)} as subject_id from ${sql.table(table)} t
        join data_keys k on k.subject_id = t.${sql.ref(column)}
        where k.wrapped_key is not null order by t.id`
        .execute(ctx.store.db)
        .then((r) => r.rows);
    const buyers = await withKeys('orders', 'buyer_subject_id');
    const all = buyers.length > 0 ? buyers : await withKeys('registrations', 'subject_id');
    const step = Math.max(1, Math.floor(all.length / (SAMPLES * 2)));
    const people = [...new Set(all.filter((_, i) => i % step === 0).map((r) => r.subject_id))].slice(
      0,
      SAMPLES * 2,
    );
    const exportIds = people.slice(0, SAMPLES);
    const deleteIds = people.slice(SAMPLES, SAMPLES * 2);
    // As `vow serve` does before it listens: the dataset annotations read and checked. (The first
    // export, in the samples, still prepares each table's statements and runs cold code.)
    services.datasets.list();
    const floorMs: number[] = [];
    const exportMs: number[] = [];
    const deleteMs: number[] = [];
    let values = 0;
    for (const id of exportIds) {
      const f0 = performance.now();
      await ctx.store.db.selectFrom('subject_identifiers').selectAll().where('subject_id', '=', id).execute();
      floorMs.push(performance.now() - f0);
      const t0 = performance.now();
      const out = await services.datasets.export({ subjectIds: [id] });
      exportMs.push(performance.now() - t0);
      values += JSON.stringify(out).length > 2 ? 1 : 0;
    }
    for (const id of deleteIds) {
      const t0 = performance.now();
      await services.datasets.delete({ subjectIds: [id] });
      deleteMs.push(performance.now() - t0);
    }
    const sort = (a: number[]) => [...a].sort((x, y) => x - y);
    const [fl, ex, de] = [sort(floorMs), sort(exportMs), sort(deleteMs)];
    const floorP99 = percentile(fl, 99);
    out.rows.push({
      name: `access export of one person (SQLite, ${PEOPLE.toLocaleString('en-US')} people, ${exportIds.length} people)`,
      value: percentile(ex, 99),
      unit: `ms p99 (p50 ${percentile(ex, 50).toFixed(1)} ms; ${values} non-empty)`,
      floorName: "raw select of the person's identifiers, p99",
      floor: floorP99,
      ratio: floorP99 / percentile(ex, 99),
      target: 'p99 < 50 ms',
      met: percentile(ex, 99) < 50,
    });
    out.rows.push({
      name: `deletion of one person (SQLite, ${PEOPLE.toLocaleString('en-US')} people, ${deleteIds.length} people)`,
      value: percentile(de, 99),
      unit: `ms p99 (p50 ${percentile(de, 50).toFixed(1)} ms)`,
      floorName: "raw select of the person's identifiers, p99",
      floor: floorP99,
      ratio: floorP99 / percentile(de, 99),
      target: 'p99 < 200 ms',
      met: percentile(de, 99) < 200,
    });
  } finally {
    await ctx.store.close();
  }
}

/** The store's figures: a generated (or reused) store of PEOPLE people, its audience, then per person. */
export async function benchStore(out: Out): Promise<void> {
  out.log(`generating a store of ${PEOPLE.toLocaleString('en-US')} people …`);
  const store = await generatedStore(out);
  try {
    await benchAudience(store.dir, out);
    await benchPerPerson(store.dir, out);
  } finally {
    if (store.temporary) rmSync(store.dir, { recursive: true, force: true });
  }
}
