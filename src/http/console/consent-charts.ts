// The consent charts of the audiences page: the cookie banner's choices per week (accepted,
// refused, applied from Global Privacy Control) and, per channel, the share of consent events that
// said yes over the last twelve weeks with its 95% interval (Wilson score).

import type { ConsentCount } from '../../modules/consent/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { noun } from '../../platform/strings.js';
import { intervalChart, stackedBars } from './charts.js';

const YES = new Set(['consented', 'enrolled', 're_enrolled']);
const NO = new Set(['withdrawn', 'unsubscribed', 'suppressed']);

/** The Monday (YYYY-MM-DD) of the week a day falls in. */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** The 12 Mondays ending with this week's. */
export function lastWeeks(today: string, n = 12): string[] {
  const now = new Date(`${mondayOf(today)}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(now);
    d.setUTCDate(d.getUTCDate() - 7 * (n - 1 - i));
    return d.toISOString().slice(0, 10);
  });
}

/** Wilson score interval of a proportion (95%). */
function wilson(yes: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.959964;
  const p = yes / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

export function consentCharts(counts: readonly ConsentCount[], today: string): SafeHtml {
  const weeks = lastWeeks(today);
  const banner: Record<string, Record<string, number>> = {};
  const perChannel = new Map<string, { yes: number; no: number }>();
  /** Marketing channels (not cookies) per week: the consent rate over time. */
  const perWeek = new Map<string, { yes: number; no: number }>(weeks.map((w) => [w, { yes: 0, no: 0 }]));
  for (const c of counts) {
    const w = mondayOf(c.day);
    if (w < weeks[0]!) continue;
    if (c.channel.startsWith('cookies.') && (c.causeType === 'cookie_banner' || c.causeType === 'gpc')) {
      const key = c.causeType === 'gpc' ? 'gpc' : YES.has(c.event) ? 'accepted' : 'refused';
      banner[w] ??= {};
      banner[w][key] = (banner[w][key] ?? 0) + c.count;
    }
    const wk = perWeek.get(w);
    if (wk && !c.channel.startsWith('cookies.')) {
      if (YES.has(c.event)) wk.yes += c.count;
      if (NO.has(c.event)) wk.no += c.count;
    }
    const t = perChannel.get(c.channel) ?? { yes: 0, no: 0 };
    if (YES.has(c.event)) t.yes += c.count;
    if (NO.has(c.event)) t.no += c.count;
    perChannel.set(c.channel, t);
  }
  const bannerTotal = Object.values(banner).reduce(
    (n, w) => n + Object.values(w).reduce((a, b) => a + b, 0),
    0,
  );
  const channels = [...perChannel.entries()]
    .filter(([, t]) => t.yes + t.no > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  return html`<section aria-labelledby="consent-h">
<h2 id="consent-h">Consent over time</h2>
${stackedBars({
  title: 'Cookie banner choices per week (one per category chosen)',
  description: `${bannerTotal} ${noun(bannerTotal, 'choice')} on the cookie categories in the last 12 weeks (weeks start on Monday): accepted, refused, or refused for the visitor by their browser's Global Privacy Control signal.`,
  categories: weeks,
  categoryLabel: 'Week of',
  series: [
    { key: 'accepted', label: 'Accepted' },
    { key: 'refused', label: 'Refused' },
    { key: 'gpc', label: 'Refused by Global Privacy Control' },
  ],
  values: banner,
  testId: 'chart-banner',
})}
${
  channels.length
    ? intervalChart({
        title: 'Share of consent events saying yes, per channel (last 12 weeks, 95% interval)',
        description: channels
          .map(([ch, t]) => `${ch.replace(/[._]/g, ' ')}: ${pct(t.yes / (t.yes + t.no))} of ${t.yes + t.no}`)
          .join('; '),
        rows: channels.map(([ch, t]) => {
          const [low, high] = wilson(t.yes, t.yes + t.no);
          return { label: ch.replace(/[._]/g, ' '), value: t.yes / (t.yes + t.no), low, high };
        }),
        format: pct,
        valueLabel: 'Said yes',
        intervalLabel: '95% interval',
        testId: 'chart-consent-rate',
      })
    : html`<p class="empty">No consent events in the last 12 weeks.</p>`
}
${
  [...perWeek.values()].some((t) => t.yes + t.no > 0)
    ? intervalChart({
        title: 'Share of marketing consent events saying yes, per week (95% interval)',
        description: `Weeks start on Monday; weeks without events are listed in the table only. ${[
          ...perWeek.entries(),
        ]
          .filter(([, t]) => t.yes + t.no > 0)
          .map(([w, t]) => `${w}: ${pct(t.yes / (t.yes + t.no))} of ${t.yes + t.no}`)
          .join('; ')}`,
        rows: [...perWeek.entries()].map(([w, t]) => {
          const n = t.yes + t.no;
          if (!n) return { label: `week of ${w}`, value: null, low: null, high: null };
          const [low, high] = wilson(t.yes, n);
          return { label: `week of ${w}`, value: t.yes / n, low, high };
        }),
        format: pct,
        valueLabel: 'Said yes',
        intervalLabel: '95% interval',
        testId: 'chart-consent-weekly',
      })
    : ''
}
</section>`;
}
