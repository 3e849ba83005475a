// A console list opened with a filter it cannot use (a bookmark from an older version, a hand-edited
// link) answers the list itself, still 400: the value sent is shown at its field, which is marked
// invalid with the reason tied by aria-describedby, and the rows are those of the address without
// that filter, labelled so; the alert names the parameter and links to the address without it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { consolePageAs } from '../helpers/console-pages.js';
import { describeEachDialect } from '../helpers/env.js';

/** The select or input with this id, and the element its aria-describedby names. */
function invalidField(main: string, id: string): { field: string; reason: string } {
  const field = new RegExp(`<(?:select|input)[^>]* id="${id}"[^>]*>`).exec(main)?.[0] ?? '';
  assert.match(field, /aria-invalid="true"/, `${id} is marked invalid`);
  const described = /aria-describedby="([^"]+)"/.exec(field)?.[1] ?? '';
  const reason = new RegExp(`<[^>]+ id="${described}"[^>]*>([\\s\\S]*?)</span>`).exec(main)?.[1] ?? '';
  assert.ok(described && reason, `${id}'s reason is tied to it`);
  return { field, reason };
}

describeEachDialect('console lists with a refused filter', (env) => {
  const get = (url: string, roles: string[]) => consolePageAs(env(), url, roles);

  it('the request queue shows itself, the bad status at its field, the good filters applied', async () => {
    const { status, main } = await get('/staff/requests?status=bogus&law=ccpa', ['customer_service']);
    assert.equal(status, 400);
    assert.match(main, /data-testid="queue-count"/, 'the list itself');
    assert.match(main, /data-testid="queue-unfiltered">not filtered by status</);
    const { reason } = invalidField(main, 'f-status');
    assert.match(reason, /Not applied: <bdi>bogus<\/bdi> is not a value this filter takes\./);
    assert.match(
      main,
      /<li data-name="status"><code>status<\/code> <code><bdi>bogus<\/bdi><\/code>: it takes one of awaiting_verification/,
    );
    // The bad value is shown selected (an option that sends nothing); the good filter stays chosen.
    assert.match(main, /<option value="" selected>bogus: not valid<\/option>/);
    assert.match(main, /<option value="ccpa" selected>/);
    assert.doesNotMatch(/<select[^>]* id="f-law"[^>]*>/.exec(main)?.[0] ?? '', /aria-invalid/);
    assert.match(main, /role="alert"[^>]*data-code="VOW_VALIDATION"/);
    assert.match(main, /<a href="\/staff\/requests\?law=ccpa" data-testid="address-without">/);
    // A checkbox given a value it does not take is marked too.
    const overdue = await get('/staff/requests?overdue=maybe', ['customer_service']);
    assert.equal(overdue.status, 400);
    assert.match(invalidField(overdue.main, 'f-overdue').reason, /<bdi>maybe<\/bdi>/);
  });

  it('the audit trail shows its newest page with a refused kind or cursor marked', async () => {
    const kind = await get('/staff/audit?kind=gossip', ['auditor']);
    assert.equal(kind.status, 400);
    assert.match(kind.main, /data-testid="audit-table"/);
    assert.match(invalidField(kind.main, 'a-kind').reason, /<bdi>gossip<\/bdi>/);
    assert.match(kind.main, /<caption>[^<]*without what \(not valid in the address\)<\/caption>/);
    const cursor = await get('/staff/audit?after=1e3', ['auditor']);
    assert.equal(cursor.status, 400);
    assert.match(cursor.main, /data-testid="audit-table"/);
    assert.match(cursor.main, /<li data-name="after"><code>after<\/code> <code><bdi>1e3<\/bdi><\/code>: /);
  });

  it('recipient tasks refuse a recipient the policy does not name instead of ignoring it', async () => {
    const { status, main } = await get('/staff/downstream?recipient=nobody-we-know', ['privacy_officer']);
    assert.equal(status, 400);
    assert.match(main, /data-testid="task-counts"/);
    assert.match(invalidField(main, 't-recipient').reason, /<bdi>nobody-we-know<\/bdi>/);
    assert.match(
      main,
      /<li data-name="recipient"><code>recipient<\/code> <code><bdi>nobody-we-know<\/bdi><\/code>: it takes one of /,
    );
    const kind = await get('/staff/downstream?kind=paperwork', ['privacy_officer']);
    assert.equal(kind.status, 400);
    assert.match(invalidField(kind.main, 't-kind').reason, /<bdi>paperwork<\/bdi>/);
    assert.equal((await get('/staff/downstream', ['privacy_officer'])).status, 200);
  });

  it('complaints show the open ones with the refused `show` named', async () => {
    const { status, main } = await get('/staff/complaints?show=closed', ['customer_service']);
    assert.equal(status, 400);
    assert.match(main, /data-testid="complaint-count"/);
    assert.match(
      main,
      /<li data-name="show"><code>show<\/code> <code><bdi>closed<\/bdi><\/code>: it takes one of open, all/,
    );
  });

  it('a bad path part or a page without filters keeps the Check the address page', async () => {
    const { status, main } = await get('/staff/imports?after=x', ['admin']);
    assert.equal(status, 400);
    assert.match(main, /<h1>Check the address<\/h1>/);
  });
});
