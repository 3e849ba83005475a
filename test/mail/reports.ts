// Mail feedback reports as a receiving server builds them (RFC 3464 delivery status notifications,
// RFC 5965 ARF complaints), each returning the headers of the message it is about.
import assert from 'node:assert/strict';
import MimeNode from 'nodemailer/lib/mime-node';
import type { TestEnv } from '../helpers/env.js';

/** The headers of a campaign email Vow renders for the person (what a report returns). */
export async function renderedHeaders(e: TestEnv, subjectId: string): Promise<string> {
  const r = await e.app.inject({
    method: 'POST',
    url: '/v1/emails/render',
    payload: { subjectId, subject: 'Our sale', text: 'Big sale!' },
  });
  assert.equal(r.statusCode, 200, r.body);
  const message = (r.json().message as string).replace(/\r\n/g, '\n');
  return `${message.slice(0, message.indexOf('\n\n'))}\n`;
}

export async function dsn(
  recipient: string,
  action: 'failed' | 'delayed',
  status: string,
  returned: string,
): Promise<string> {
  const root = new MimeNode('multipart/report; report-type=delivery-status');
  root.setHeader({
    from: 'MAILER-DAEMON@mx.example.net',
    to: 'bounces@shop.example',
    subject: 'Delivery Status Notification',
  });
  root.createChild('text/plain').setContent(`Delivery to ${recipient} ${action}.`);
  root
    .createChild('message/delivery-status')
    .setContent(
      `Reporting-MTA: dns; mx.example.net\nArrival-Date: Thu, 15 Jan 2026 12:00:00 +0000\n\nFinal-Recipient: rfc822; ${recipient}\nAction: ${action}\nStatus: ${status}\nDiagnostic-Code: smtp; ${status} mailbox problem\n`,
    );
  root.createChild('text/rfc822-headers').setContent(returned);
  return (await root.build()).toString();
}

export async function arf(recipient: string, returned: string): Promise<string> {
  const root = new MimeNode('multipart/report; report-type=feedback-report');
  root.setHeader({ from: 'abuse@isp.example', to: 'fbl@shop.example', subject: 'FW: Our sale' });
  root.createChild('text/plain').setContent('This is an email abuse report.');
  root
    .createChild('message/feedback-report')
    .setContent(
      `Feedback-Type: abuse\nUser-Agent: ExampleFBL/1.0\nVersion: 1\nOriginal-Mail-From: <news@shop.example>\nOriginal-Rcpt-To: <${recipient}>\nArrival-Date: Thu, 15 Jan 2026 12:00:00 +0000\n`,
    );
  root.createChild('message/rfc822').setContent(`${returned}\nBig sale!\n`);
  return (await root.build()).toString();
}
