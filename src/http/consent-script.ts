// The consent script the shop's pages load (src/web/assets/consent.js), read once: its address
// carries a fingerprint of the content, and pages and the shop's tag carry its Subresource
// Integrity hash. Shared by the script's own route, the pages that load it and the JSON API.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { webAsset } from './route-helpers.js';

/** Where a page loads the script from, and the hash the browser checks it against. */
export interface ScriptTag {
  readonly src: string;
  readonly integrity: string;
}

export interface ConsentScript extends ScriptTag {
  readonly body: Buffer;
  /** Part of the script's URL: a new script gets a new URL, so it may be cached for a year. */
  readonly fingerprint: string;
  /** The script's address on a public origin and the tag to paste into the shop's pages. */
  info(base: string): ScriptTag & { readonly tag: string };
}

let loaded: Promise<ConsentScript> | undefined;

export function consentScript(): Promise<ConsentScript> {
  loaded ??= readFile(webAsset('consent.js')).then((body) => {
    const integrity = `sha384-${createHash('sha384').update(body).digest('base64')}`;
    const fingerprint = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const src = `/consent.js?v=${fingerprint}`;
    return {
      body,
      src,
      integrity,
      fingerprint,
      info: (base: string) => ({
        src: `${base}${src}`,
        integrity,
        tag: `<script src="${base}${src}" integrity="${integrity}" crossorigin="anonymous" data-vow-api="${base}"></script>`,
      }),
    };
  });
  return loaded;
}
