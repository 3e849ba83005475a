// The addresses a webhook delivery may connect to, judged on the resolved answer (every address of
// it), with the operator's VOW_WEBHOOK_PRIVATE_NETWORKS opt-in. No name here is resolved over the
// network: the lookup is the test's own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReceiverAddresses } from '../../src/modules/downstream/receiver-addresses.js';
import { loadConfig } from '../../src/platform/config.js';
import { scripted } from './receivers.js';

/** A resolver answering from a table (one answer a name); counts its calls. */
function resolver(table: Record<string, string[]>) {
  return scripted(Object.fromEntries(Object.entries(table).map(([name, answer]) => [name, [answer]])));
}

function lookUp(a: ReceiverAddresses, host: string, all: boolean) {
  return new Promise<{ err: (Error & { code?: string }) | null; address: unknown; family?: number }>(
    (resolve) => a.lookup(host, { all }, (err, address, family) => resolve({ err, address, family })),
  );
}

const ALWAYS_REFUSED = [
  '169.254.169.254',
  '169.254.170.2',
  'fe80::1',
  '::ffff:169.254.169.254',
  '64:ff9b::a9fe:a9fe', // NAT64 form of 169.254.169.254
  '2002:a9fe:a9fe::1', // 6to4 form of it
  '0.0.0.0',
  '::',
  '224.0.0.1',
  'ff02::1',
  '255.255.255.255',
  '100.100.100.200',
  'fd00:ec2::254',
  '168.63.129.16', // Azure's WireServer: public, but the platform's own
  '::ffff:168.63.129.16',
  '192.0.2.10',
  '::127.0.0.1',
];
const LOOPBACK = ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '64:ff9b::7f00:1'];
const PRIVATE = ['10.0.0.5', '172.16.4.4', '192.168.1.20', '100.64.1.1', 'fd12:3456::1', '::ffff:10.1.2.3'];
const PUBLIC = ['93.184.216.34', '2606:4700:4700::1111', '64:ff9b::5db8:d822', '::ffff:93.184.216.34'];

describe('webhook receiver addresses', () => {
  it('by default only public addresses are receivers', () => {
    const a = new ReceiverAddresses([]);
    for (const ip of [...ALWAYS_REFUSED, ...LOOPBACK, ...PRIVATE])
      assert.notEqual(a.refusal(ip), undefined, `${ip} should be refused`);
    for (const ip of PUBLIC) assert.equal(a.refusal(ip), undefined, `${ip} should be allowed`);
    assert.equal(a.refusal('169.254.169.254'), 'linkLocal');
    assert.equal(a.refusal('127.0.0.1'), 'loopback');
    assert.equal(a.refusal('10.0.0.5'), 'private');
    assert.equal(a.refusal('100.100.100.200'), 'metadata');
  });

  it('loopback and private networks open only when listed; link-local and metadata never', () => {
    const loopback = new ReceiverAddresses(['loopback']);
    for (const ip of LOOPBACK) assert.equal(loopback.refusal(ip), undefined, ip);
    for (const ip of [...PRIVATE, ...ALWAYS_REFUSED]) assert.notEqual(loopback.refusal(ip), undefined, ip);
    const both = new ReceiverAddresses(['loopback', 'private']);
    for (const ip of [...LOOPBACK, ...PRIVATE, ...PUBLIC]) assert.equal(both.refusal(ip), undefined, ip);
    for (const ip of ALWAYS_REFUSED) assert.notEqual(both.refusal(ip), undefined, ip);
    // Listed networks: exactly those (a link-local or metadata one listed is still refused).
    const listed = new ReceiverAddresses(['10.20.0.0/16', '192.168.1.20', '169.254.0.0/16', '0.0.0.0/0']);
    assert.equal(listed.refusal('10.20.9.9'), undefined);
    assert.equal(listed.refusal('192.168.1.20'), undefined);
    assert.equal(listed.refusal('169.254.169.254'), 'linkLocal');
    assert.equal(listed.refusal('100.100.100.200'), 'metadata');
    assert.equal(listed.refusal('168.63.129.16'), 'metadata');
    assert.equal(new ReceiverAddresses(['10.20.0.0/16']).refusal('10.21.0.1'), 'private');
  });

  it('refuses the whole answer when any address in it is forbidden, and answers what it checked', async () => {
    const { lookup, calls } = resolver({
      'hooks.shop.test': ['93.184.216.34', '2606:4700:4700::1111'],
      'mixed.shop.test': ['93.184.216.34', '127.0.0.1'],
      'metadata.shop.test': ['169.254.169.254'],
      'inside.shop.test': ['10.0.0.5'],
    });
    const a = new ReceiverAddresses([], lookup);
    const all = await lookUp(a, 'hooks.shop.test', true);
    assert.equal(all.err, null);
    assert.deepEqual(all.address, [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
    const one = await lookUp(a, 'hooks.shop.test', false);
    assert.deepEqual([one.err, one.address, one.family], [null, '93.184.216.34', 4]);
    for (const [host, range] of [
      ['mixed.shop.test', 'loopback'],
      ['metadata.shop.test', 'link-local'],
      ['inside.shop.test', 'private-network'],
    ] as const) {
      const r = await lookUp(a, host, true);
      assert.equal(r.err?.code, 'VOW_WEBHOOK_ADDRESS_REFUSED', host);
      assert.match(r.err!.message, new RegExp(`^${host} resolves to a ${range} address`), host);
    }
    const missing = await lookUp(a, 'nowhere.shop.test', true);
    assert.equal(missing.err?.code, 'ENOTFOUND');
    // One resolution per lookup: the answer checked is the answer given to the connection.
    assert.equal(calls.length, 6);
  });

  it('refuses a registration whose host is or resolves to a forbidden address; an unresolved name waits for the connection', async () => {
    const { lookup } = resolver({ 'inside.shop.test': ['10.0.0.5'], 'hooks.shop.test': ['93.184.216.34'] });
    const a = new ReceiverAddresses([], lookup);
    await assert.rejects(a.checkUrl('https://inside.shop.test/hooks'), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'VOW_WEBHOOK_ADDRESS_REFUSED');
      assert.match(e.message, /VOW_WEBHOOK_PRIVATE_NETWORKS=private allows it/);
      return true;
    });
    await assert.rejects(a.checkUrl('http://127.0.0.1:8080/hooks'), { code: 'VOW_WEBHOOK_ADDRESS_REFUSED' });
    await assert.rejects(a.checkUrl('https://[::1]/hooks'), { code: 'VOW_WEBHOOK_ADDRESS_REFUSED' });
    await a.checkUrl('https://hooks.shop.test/hooks');
    // A name that does not resolve is refused with a clear code (not accepted, not a 500).
    await assert.rejects(a.checkUrl('https://not-yet.shop.test/hooks'), {
      code: 'VOW_WEBHOOK_URL_INVALID',
      message: "The webhook URL's host not-yet.shop.test could not be resolved (ENOTFOUND)",
    });
    await new ReceiverAddresses(['private'], lookup).checkUrl('https://inside.shop.test/hooks');
  });

  it('VOW_WEBHOOK_PRIVATE_NETWORKS: off by default, keywords and CIDRs, anything else refused at start', () => {
    const base = { VOW_DATA_DIR: '.tmp/test-data' };
    assert.deepEqual(loadConfig(base).webhookPrivateNetworks, []);
    assert.deepEqual(
      loadConfig({ ...base, VOW_WEBHOOK_PRIVATE_NETWORKS: 'loopback, private,10.20.0.0/16, fd00::/8' })
        .webhookPrivateNetworks,
      ['loopback', 'private', '10.20.0.0/16', 'fd00::/8'],
    );
    for (const bad of ['on', 'everything', '10.0.0.0/33', 'loopback,,private'])
      assert.throws(() => loadConfig({ ...base, VOW_WEBHOOK_PRIVATE_NETWORKS: bad }), {
        code: 'VOW_CONFIG_INVALID',
      });
  });
});
