// The knobs of `npm run bench` (environment variables, described at the top of bench/run.ts).
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};
export const SECONDS = num('VOW_BENCH_SECONDS', 5);
export const WARMUP_SECONDS = num('VOW_BENCH_WARMUP_SECONDS', 2);
export const ROUNDS = Math.round(num('VOW_BENCH_ROUNDS', 2));
export const ITERATIONS = num('VOW_BENCH_ITERATIONS', 200_000);
export const PEOPLE = Math.round(num('VOW_BENCH_PEOPLE', 20_000));
export const SAMPLES = Math.round(num('VOW_BENCH_SAMPLES', 50));
export const COMMITS = Math.round(num('VOW_BENCH_COMMITS', 300));
export const AUDIENCE = process.env.VOW_BENCH_AUDIENCE ?? 'email_marketing';
if (!/^[a-z_]+$/.test(AUDIENCE)) throw new Error('VOW_BENCH_AUDIENCE must be a channel name (a-z and _)');
export const PG_ADMIN = process.env.VOW_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
