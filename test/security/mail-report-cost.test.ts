// Mail feedback reports are anyone's: the SMTP listener takes mail from anyone (2 MB a message) and
// a report's recipient fields are read before any token proves anything. The address in a
// Final-Recipient, Original-Rcpt-To or returned To field was found with the unanchored regex
// /<?([^\s<>@]+@[^\s<>@]+)>?/, which, in a field without an `@`, rescans the rest of the field from
// every position: a 160 KB field cost some 30 s of CPU, a 2 MB one hours, Vow answering no one
// meanwhile (security.md #31). The address is now found in one pass (firstAddress); this test
// proves it gives the regex's answer on every short text (exhaustively) and that reports with
// 2 MB fields are read (the old parser does not finish them: the test runner's timeout fails it).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  firstAddress,
  MAX_REPORT_RECIPIENTS,
  parseMailReport,
} from '../../src/modules/consent/mail-report.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';

const OLD = /<?([^\s<>@]+@[^\s<>@]+)>?/;

it('finds the address the old regex found, on every text of up to 7 characters', () => {
  const alphabet = ['a', '@', '<', '>', ' ', '\u00a0', '.'];
  let texts = [''];
  let checked = 0;
  for (let length = 0; length <= 7; length++) {
    for (const t of texts) {
      assert.equal(firstAddress(t), OLD.exec(t)?.[1], JSON.stringify(t));
      checked++;
    }
    texts = texts.flatMap((t) => alphabet.map((c) => t + c));
  }
  assert.ok(checked > 900_000);
  for (const t of ['rfc822; <Ann@Example.org>', 'x@ y@z', 'a@@b', '<<a@b>>', 'a@b@c', '  tab\t@x b@c\n'])
    assert.equal(firstAddress(t), OLD.exec(t)?.[1], t);
});

const FIELD = 'a'.repeat(2 * 1024 * 1024 - 1024);

it('reads a bounce whose Final-Recipient is 2 MB without an @ (what the SMTP listener takes)', () => {
  const raw = `Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\nFinal-Recipient: rfc822; ${FIELD}\nAction: failed\nStatus: 5.1.1\n\n--B--\n`;
  assert.deepEqual(parseMailReport(raw), { kind: 'bounce', recipients: [], tokens: [] });
});

it('reads a complaint whose Original-Rcpt-To and returned To are 1 MB each without an @', () => {
  const half = FIELD.slice(0, 1024 * 1024);
  const raw = `Content-Type: multipart/report; report-type=feedback-report; boundary=B\n\n--B\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nOriginal-Rcpt-To: <${half}>\n\n--B\nContent-Type: message/rfc822\n\nTo: ${half}\nSubject: x\n\n--B--\n`;
  assert.deepEqual(parseMailReport(raw), {
    kind: 'complaint',
    feedbackType: 'abuse',
    recipients: [],
    tokens: [],
  });
});

it('reads the first recipients of a bounce that names thousands (each would cost a look-up)', () => {
  const blocks = Array.from(
    { length: 40_000 },
    (_, i) => `Final-Recipient: rfc822; p${i}@example.org\nAction: failed\nStatus: 5.1.1\n`,
  ).join('\n');
  const raw = `Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n${blocks}\n--B--\n`;
  const report = parseMailReport(raw);
  assert.equal(report.kind, 'bounce');
  assert.ok(report.kind === 'bounce');
  assert.equal(MAX_REPORT_RECIPIENTS, 20);
  assert.equal(report.recipients.length, 20);
  assert.deepEqual(report.recipients[19], { address: 'p19@example.org', status: '5.1.1', hard: true });
});

describeEachDialect(
  'a crafted report posted to a running Vow (a key with the feedback scope, the body limit raised to 2 MB)',
  (env) => {
    it('is answered (no recipient), not left running', async () => {
      const e = env();
      const field = FIELD.slice(0, 2 * 1024 * 1024 - 4096);
      const res = await e.app.inject({
        method: 'POST',
        url: '/v1/mail/feedback',
        headers: { 'content-type': 'message/rfc822' },
        payload: `Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\nFinal-Recipient: rfc822; ${field}\nAction: failed\nStatus: 5.1.1\n\n--B--\n`,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().outcomes, []);
    });
  },
  { config: testConfig({ VOW_BODY_LIMIT: String(2 * 1024 * 1024 + 4096) }) },
);
