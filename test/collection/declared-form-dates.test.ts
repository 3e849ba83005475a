// A declared form's date fields get the bounds every other stated day gets (src/modules/collection/
// day-bounds.ts, shared with orders' dates and the under-13 gate's birth date), by what the policy
// says the day is: `any` (the default: at most 150 years ago and 10 years ahead, so a policy written
// before `dates` keeps taking every plausible day), `past` (not more than a day ahead of Vow's
// clock), `birth` (not in the future) or `future` (from yesterday to 10 years ahead). A day outside
// is refused with VOW_VALIDATION naming the field and the bound, and nothing is stored.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { dayBounds } from '../../src/modules/collection/index.js';
import { describeEachDialect } from '../helpers/env.js';
import { countAllRows, post } from './fixtures.js';
import { formsPolicyDoc, tryPolicy } from './forms-policy.js';

const APPOINTMENT = '/v1/collection-points/appointment_request/submissions';

/**
 * The forms policy, its appointment also asking when the person last visited, their birthday and
 * their wedding anniversary (a date field that says nothing of its days).
 */
function datesPolicy() {
  const doc = formsPolicyDoc();
  const f = doc.collection_points.appointment_request.fields;
  const like = { ...f.preferred_date, required: false };
  delete like.dates;
  f.last_visit = { ...like, dates: 'past' };
  f.birthday = { ...like, dates: 'birth' };
  f.anniversary = { ...like };
  const { policy, problems } = tryPolicy(doc);
  if (!policy) throw new Error(problems.join('\n'));
  return policy;
}

let n = 0;
const appointment = (overrides: Record<string, unknown>) => ({
  name: 'Dana Dates',
  email: `dana.dates.${++n}@example.com`,
  preferred_date: '2026-02-14',
  occasion: 'anniversary',
  ...overrides,
});

describeEachDialect(
  "a declared form's dates are bounded as every stated day is",
  (env) => {
    it('the bounds of each kind of day, from Vow’s clock (2026-01-15 12:00 UTC in tests)', () => {
      const now = env().ctx.clock.now();
      assert.deepEqual(dayBounds('any', now), { earliest: '1875-01-16', latest: '2036-01-15' });
      assert.deepEqual(dayBounds('past', now), { earliest: '1875-01-16', latest: '2026-01-16' });
      assert.deepEqual(dayBounds('birth', now), { earliest: '1875-01-16', latest: '2026-01-15' });
      assert.deepEqual(dayBounds('future', now), { earliest: '2026-01-14', latest: '2036-01-15' });
    });

    it('takes a day at each bound', async () => {
      for (const body of [
        {
          last_visit: '1875-01-16',
          birthday: '1875-01-16',
          preferred_date: '2026-01-14',
          anniversary: '1875-01-16',
        },
        {
          last_visit: '2026-01-16',
          birthday: '2026-01-15',
          preferred_date: '2036-01-15',
          anniversary: '2036-01-15',
        },
        // A wedding in 1965, a day before 1970 that a person may well state.
        { last_visit: '1965-06-12', anniversary: '1965-06-12' },
      ]) {
        const res = await post(env(), APPOINTMENT, appointment(body));
        assert.equal(res.statusCode, 201, res.body);
      }
    });

    it('refuses a day past a bound with VOW_VALIDATION naming the field and the bound, and stores nothing', async () => {
      const before = await countAllRows(env());
      for (const [body, path, code, limit] of [
        [{ last_visit: '9999-12-31' }, '/last_visit', 'too_late', '2026-01-16'],
        [{ last_visit: '2026-01-17' }, '/last_visit', 'too_late', '2026-01-16'],
        [{ last_visit: '1875-01-15' }, '/last_visit', 'too_early', '1875-01-16'],
        [{ anniversary: '9999-12-31' }, '/anniversary', 'too_late', '2036-01-15'],
        [{ anniversary: '0001-01-01' }, '/anniversary', 'too_early', '1875-01-16'],
        [{ birthday: '0001-01-01' }, '/birthday', 'too_early', '1875-01-16'],
        [{ birthday: '2026-01-16' }, '/birthday', 'too_late', '2026-01-15'],
        [{ preferred_date: '2026-01-13' }, '/preferred_date', 'too_early', '2026-01-14'],
        [{ preferred_date: '2099-02-14' }, '/preferred_date', 'too_late', '2036-01-15'],
      ] as const) {
        const res = await post(env(), APPOINTMENT, appointment(body));
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
        const error = res.json().error;
        assert.equal(error.code, 'VOW_VALIDATION');
        assert.deepEqual(
          error.details.issues.map((i: { path: string; code: string; limit: string }) => [
            i.path,
            i.code,
            i.limit,
          ]),
          [[path, code, limit]],
          JSON.stringify(body),
        );
      }
      assert.deepEqual(await countAllRows(env()), before);
    });

    it('says each field’s bounds in /openapi.json', async () => {
      const doc = (await env().app.inject({ method: 'GET', url: '/openapi.json' })).json();
      const schema = doc.paths[APPOINTMENT].post.requestBody.content['application/json'].schema;
      assert.match(
        schema.properties.last_visit.description,
        /at most 150 years ago and at most one day ahead/,
      );
      assert.match(
        schema.properties.anniversary.description,
        /at most 150 years ago and at most 10 years ahead/,
      );
      assert.match(schema.properties.birthday.description, /not in the future and at most 150 years ago/);
      assert.match(schema.properties.preferred_date.description, /from yesterday to 10 years ahead/);
    });

    it('refuses `dates` on a field that is not a date, and a kind it does not know', () => {
      const onText = formsPolicyDoc();
      onText.collection_points.appointment_request.fields.notes.dates = 'past';
      const wrongKind = formsPolicyDoc();
      wrongKind.collection_points.appointment_request.fields.preferred_date.dates = 'someday';
      const text = tryPolicy(onText).problems;
      assert.ok(
        text.some((p) => /fields\.notes\.dates: only a date field takes dates/.test(p)),
        text.join('\n'),
      );
      const kind = tryPolicy(wrongKind).problems;
      assert.ok(
        kind.some((p) => /preferred_date\.dates: .*"any"\|"past"\|"birth"\|"future"/.test(p)),
        kind.join('\n'),
      );
    });
  },
  { policy: datesPolicy() },
);
