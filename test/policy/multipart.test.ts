// The console's multipart reader (the policy check's upload): fields and one file as text, and a
// malformed, duplicated, oddly named or non-UTF-8 body refused with VOW_VALIDATION.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readMultipart } from '../../src/http/console/multipart.js';

const TYPE = 'multipart/form-data; boundary=XyZ';
const body = (...parts: string[]) =>
  Buffer.from(`${parts.map((p) => `--XyZ\r\n${p}\r\n`).join('')}--XyZ--\r\n`);
const field = (name: string, value: string) =>
  `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;

describe('readMultipart', () => {
  it('reads text fields and a file with its name', () => {
    const out = readMultipart(
      body(
        field('_csrf', 'tok'),
        'Content-Disposition: form-data; name="file"; filename="my policy.yaml"\r\nContent-Type: application/yaml\r\n\r\nvow_policy: 1\r\nname: x\n',
        field('yaml', ''),
      ),
      TYPE,
    );
    assert.deepEqual(out, {
      _csrf: 'tok',
      file: 'vow_policy: 1\r\nname: x\n',
      file_name: 'my policy.yaml',
      yaml: '',
    });
    assert.deepEqual(readMultipart(body(field('yaml', 'a')), 'multipart/form-data; boundary="XyZ"'), {
      yaml: 'a',
    });
  });

  it('refuses what it cannot read whole', () => {
    const refused = (b: Buffer, type = TYPE) =>
      assert.throws(
        () => readMultipart(b, type),
        (e: { code?: string }) => e.code === 'VOW_VALIDATION',
      );
    refused(body(field('yaml', 'a')), 'multipart/form-data');
    refused(Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="yaml"\r\n\r\nno end'));
    refused(Buffer.from('nothing here'));
    refused(body(field('yaml', 'a'), field('yaml', 'b')));
    refused(body(field('__proto__', 'a')));
    refused(body('Content-Disposition: form-data\r\n\r\nno name'));
    refused(
      Buffer.concat([
        Buffer.from('--XyZ\r\n'),
        Buffer.from(`${field('yaml', '')}`),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('\r\n--XyZ--\r\n'),
      ]),
    );
    refused(body(...Array.from({ length: 9 }, (_, i) => field(`f${'x'.repeat(i)}`, 'v'))));
  });
});
