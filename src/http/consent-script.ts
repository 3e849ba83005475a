// The consent script the shop's pages load (src/web/assets/consent.js) and its stylesheet, built
// once per process: minified (esbuild), then compressed with brotli and gzip at the highest levels,
// so each request only picks the bytes its Accept-Encoding allows. The script's address carries a
// fingerprint of the minified content, and pages and the shop's tag carry its Subresource
// Integrity hash (of the decoded bytes, so one hash fits every encoding). Shared by the script's
// own route, the pages that load it and the JSON API.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOCALES } from '../platform/i18n/index.js';
import { webAsset } from './route-helpers.js';

/** Where a page loads the script from, and the hash the browser checks it against. */
export interface ScriptTag {
  readonly src: string;
  readonly integrity: string;
}

/** One asset, minified, in each encoding it is served in. */
export interface BuiltAsset {
  /** The minified bytes (identity encoding). */
  readonly body: Buffer;
  readonly br: Buffer;
  readonly gzip: Buffer;
  /** A short hash of the minified bytes: part of the URL and of every ETag. */
  readonly fingerprint: string;
  /** The source file's size, before minifying. */
  readonly sourceBytes: number;
}

export interface ConsentScript extends ScriptTag, BuiltAsset {
  /** The script's address on a public origin and the tags to paste into the shop's pages. */
  /** `lang`: the page's language, for the preload's address (the script asks in it too). */
  info(base: string, lang?: string): ScriptInfo;
}

export interface ScriptInfo extends ScriptTag {
  /** The inline snippet, the preloads and the deferred script tag, in that order: paste them all into `<head>`. */
  readonly tag: string;
  /** The preload of the first banner's config, so it does not wait for the script to run. */
  readonly preload: string;
  /** The inline snippet alone: Consent Mode defaults, set before any Google tag can run. */
  readonly defaults: string;
  /** The snippet's hash for the shop's Content-Security-Policy `script-src`. */
  readonly defaultsCsp: string;
  /** The script tag alone. */
  readonly script: string;
}

/**
 * Google Consent Mode v2 defaults, set synchronously where the tag is pasted: the script itself is
 * deferred (it never blocks the page), so these must not wait for it. The script sets the same
 * defaults again when it runs; both are "denied".
 */
export const CONSENT_DEFAULTS_SNIPPET =
  "window.dataLayer=window.dataLayer||[];window.gtag=window.gtag||function(){dataLayer.push(arguments)};gtag('consent','default',{ad_storage:'denied',analytics_storage:'denied',ad_user_data:'denied',ad_personalization:'denied',wait_for_update:500});";

const DEFAULTS_CSP = `'sha256-${createHash('sha256').update(CONSENT_DEFAULTS_SNIPPET).digest('base64')}'`;

/** Minifies with esbuild; without it (a platform with no esbuild binary) the source is served as is. */
async function minify(source: string, loader: 'js' | 'css'): Promise<string> {
  try {
    const { transform } = await import('esbuild');
    const out = await transform(source, { loader, minify: true, legalComments: 'none', charset: 'utf8' });
    return out.code;
  } catch {
    return source;
  }
}

/** Minifies and compresses one web asset (done once per process: brotli at 11 takes ~50 ms). */
export async function buildAsset(
  file: string,
  loader: 'js' | 'css',
  /** A change made to the source before minifying (the script's address of its choices). */
  prepare: (source: string) => string = (s) => s,
): Promise<BuiltAsset> {
  const source = prepare(await readFile(webAsset(file), 'utf8'));
  return {
    ...compressedAsset(Buffer.from(await minify(source, loader))),
    sourceBytes: Buffer.byteLength(source),
  };
}

/**
 * Compressed answers already made, by their bytes' hash: an app built again in the same process
 * with the same policy (the tests build hundreds; `vow` commands that build the app) gets the
 * same config bytes, and brotli at its highest level cost ~17% of building an app. Bounded: a
 * process loading many policies keeps only the latest few.
 */
const compressed = new Map<string, BuiltAsset>();
const COMPRESSED_KEPT = 32;

/** Bytes that never change while the process runs, compressed once in every encoding served. */
export function compressedAsset(body: Buffer): BuiltAsset {
  const digest = createHash('sha256').update(body).digest('hex');
  const known = compressed.get(digest);
  if (known) return known;
  const asset: BuiltAsset = {
    body,
    br: brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gzip: gzipSync(body, { level: 9 }),
    fingerprint: digest.slice(0, 12),
    sourceBytes: body.length,
  };
  if (compressed.size >= COMPRESSED_KEPT) compressed.delete(compressed.keys().next().value as string);
  compressed.set(digest, asset);
  return asset;
}

/** An asset with a versioned address (its fingerprint) and, for a script, its SRI hash. */
export interface VersionedAsset extends BuiltAsset, ScriptTag {}

function versioned(built: BuiltAsset, path: string): VersionedAsset {
  return {
    ...built,
    src: `${path}?v=${built.fingerprint}`,
    integrity: `sha384-${createHash('sha384').update(built.body).digest('base64')}`,
  };
}

/**
 * The banner's second layer, loaded on demand (when the visitor presses "Choose" or reopens the
 * settings, or when the page holds a preference centre or a Google Analytics switch): the
 * per-category choices, the cookie lists, the preference centre and the GA switch, with their
 * stylesheet. The first banner needs none of it, so the first visit does not pay for it.
 */
export interface ConsentChoices {
  readonly script: VersionedAsset;
  readonly css: VersionedAsset;
}

let choices: Promise<ConsentChoices> | undefined;

/** Where a script's source leaves room for its stylesheet (filled at build, see `fill`). */
export const CSS_PLACEHOLDER = "/*VOW_CSS*/ ''";
/** Where the script's source leaves room for its choices' address and SRI hash. */
export const CHOICES_PLACEHOLDER = '/*VOW_CHOICES*/ null';
/** The languages a page may ask the banner in (`?lang=`): the primary subtag of each locale. */
const BANNER_LANGS: readonly string[] = [...new Set(LOCALES.map((l) => l.split('-')[0] as string))];

/** The source with a placeholder replaced by a value (as JSON); a missing placeholder stops the build. */
function fill(source: string, placeholder: string, value: unknown): string {
  if (!source.includes(placeholder)) throw new Error(`a consent script lacks its ${placeholder}`);
  return source.replace(placeholder, () => JSON.stringify(value));
}

export function consentChoices(): Promise<ConsentChoices> {
  choices ??= buildAsset('consent-choices.css', 'css').then(async (css) => ({
    // The stylesheet travels inside the script (a constructed stylesheet); the file is for browsers
    // without them.
    script: versioned(
      await buildAsset('consent-choices.js', 'js', (source) =>
        fill(source, CSS_PLACEHOLDER, css.body.toString()),
      ),
      '/consent-choices.js',
    ),
    css: versioned(css, '/consent-choices.css'),
  }));
  return choices;
}

let loaded: Promise<ConsentScript> | undefined;

export function consentScript(): Promise<ConsentScript> {
  loaded ??= Promise.all([consentChoices(), consentStylesheet()])
    .then(([more, css]) =>
      buildAsset('consent.js', 'js', (source) =>
        fill(fill(source, CSS_PLACEHOLDER, css.body.toString()), CHOICES_PLACEHOLDER, {
          js: more.script.src,
          sri: more.script.integrity,
        }),
      ),
    )
    .then((built) => {
      const integrity = `sha384-${createHash('sha384').update(built.body).digest('base64')}`;
      const src = `/consent.js?v=${built.fingerprint}`;
      return {
        ...built,
        src,
        integrity,
        info: (base: string, lang?: string) => {
          const page = lang?.split('-')[0]?.toLowerCase() ?? '';
          const query = BANNER_LANGS.includes(page) ? `?lang=${page}` : '';
          const script = `<script src="${base}${src}" integrity="${integrity}" crossorigin="anonymous" data-vow-api="${base}" defer></script>`;
          const defaults = `<script>${CONSENT_DEFAULTS_SNIPPET}</script>`;
          // Fetched while the page is parsed, in parallel with the script: the banner needs its
          // config the moment the script runs (its stylesheet is inside the script). The config's
          // preload and the script's own fetch both use CORS without cookies, so the browser hands
          // the one to the other.
          const preload = `<link rel="preload" href="${base}/v1/consent/banner${query}" as="fetch" crossorigin="anonymous">`;
          return {
            src: `${base}${src}`,
            integrity,
            tag: `${defaults}\n${preload}\n${script}`,
            defaults,
            preload,
            defaultsCsp: DEFAULTS_CSP,
            script,
          };
        },
      };
    });
  return loaded;
}

let stylesheet: Promise<BuiltAsset> | undefined;

/**
 * The banner's stylesheet, minified and compressed like the script. The script carries it inside;
 * the file is for a shop that includes it itself and for browsers without constructed stylesheets.
 */
export function consentStylesheet(): Promise<BuiltAsset> {
  stylesheet ??= buildAsset('consent.css', 'css');
  return stylesheet;
}

/** The best encoding the client accepts: brotli, then gzip, else none (RFC 9110 12.5.3). */
export function pickEncoding(acceptEncoding: string | string[] | undefined): 'br' | 'gzip' | undefined {
  if (!acceptEncoding) return undefined;
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  const accepted = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => {
    const q = accepted.get(name) ?? accepted.get('*');
    return q !== undefined && q > 0;
  };
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : undefined;
}

/** Whether an If-None-Match header names this ETag (weak comparison, RFC 9110 13.1.2). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Answers with a built asset in the best encoding the client accepts, with a per-encoding ETag
 * (a 304 when the client has it) and `Vary: Accept-Encoding` so shared caches keep them apart.
 */
export function sendBuiltAsset(
  req: FastifyRequest,
  reply: FastifyReply,
  asset: BuiltAsset,
  type: string,
  cacheControl: string,
  /** Loadable from any origin (the script and its stylesheet); the config keeps Vow's CORS rules. */
  anyOrigin = true,
): FastifyReply {
  const encoding = pickEncoding(req.headers['accept-encoding']);
  const etag = `"${asset.fingerprint}${encoding ? `-${encoding}` : ''}"`;
  void reply.type(type).header('cache-control', cacheControl).header('etag', etag);
  if (anyOrigin) void reply.header('access-control-allow-origin', '*');
  // Added to any Vary already set (the cross-origin routes vary by Origin).
  const vary = reply.getHeader('vary');
  void reply.header('vary', vary ? `${String(vary)}, accept-encoding` : 'accept-encoding');
  if (etagMatches(req.headers['if-none-match'], etag)) return reply.code(304).send();
  if (encoding) void reply.header('content-encoding', encoding);
  return reply.send(encoding ? asset[encoding] : asset.body);
}
