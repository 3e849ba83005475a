// The IAB Global Privacy Platform (GPP) string for the US national section (usnat, section id 7),
// written from the specification: a header segment naming the sections, then the usnat core
// segment and its GPC sub-segment, each a bit field written in "compressed" base64url.
//
// Values of the two-bit fields: 0 = not applicable, 1 = yes (notice given / opted out),
// 2 = no (notice not given / did not opt out).

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export const USNAT_SECTION_ID = 7;
export const USNAT_VERSION = 2;
const GPP_HEADER_TYPE = 3;
const GPP_VERSION = 1;

/** Appends fixed-width unsigned integers to a bit string. */
export class Bits {
  #bits = '';
  int(value: number, width: number): this {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** width)
      throw new RangeError(`${value} does not fit in ${width} bits`);
    this.#bits += value.toString(2).padStart(width, '0');
    return this;
  }
  bool(value: boolean): this {
    this.#bits += value ? '1' : '0';
    return this;
  }
  /** Fibonacci (Zeckendorf) code of a positive integer, ending in the "11" terminator. */
  fibonacci(value: number): this {
    if (!Number.isInteger(value) || value < 1) throw new RangeError('Fibonacci codes start at 1');
    const fibs = [1, 2];
    while (fibs[fibs.length - 1]! <= value) fibs.push(fibs[fibs.length - 1]! + fibs[fibs.length - 2]!);
    fibs.pop();
    const code = new Array<string>(fibs.length).fill('0');
    let rest = value;
    for (let i = fibs.length - 1; i >= 0; i--) {
      if (fibs[i]! <= rest) {
        code[i] = '1';
        rest -= fibs[i]!;
      }
    }
    this.#bits += `${code.join('')}1`;
    return this;
  }
  /** Compressed base64url: pad to whole bytes, then to whole sextets, no '=' padding. */
  toBase64Url(): string {
    let b = this.#bits;
    while (b.length % 8 !== 0) b += '0';
    while (b.length % 6 !== 0) b += '0';
    let out = '';
    for (let i = 0; i < b.length; i += 6) out += BASE64URL[Number.parseInt(b.slice(i, i + 6), 2)];
    return out;
  }
}

export type TwoBit = 0 | 1 | 2;

export interface UsNatSignals {
  /** The visitor opted out of the sale of personal data. */
  readonly saleOptOut: boolean;
  /** The visitor opted out of sharing (cross-context behavioural advertising). */
  readonly sharingOptOut: boolean;
  /** The visitor opted out of targeted advertising. */
  readonly targetedAdvertisingOptOut: boolean;
  /** A Global Privacy Control signal was present. */
  readonly gpc: boolean;
}

/** What the retailer's notice says; Vow's notice covers sharing and advertising choices. */
export interface UsNatNotices {
  readonly sharingNotice: TwoBit;
  readonly saleOptOutNotice: TwoBit;
  readonly sharingOptOutNotice: TwoBit;
  readonly targetedAdvertisingOptOutNotice: TwoBit;
  readonly sensitiveDataProcessingOptOutNotice: TwoBit;
  readonly sensitiveDataLimitUseNotice: TwoBit;
}

export const DEFAULT_NOTICES: UsNatNotices = {
  sharingNotice: 1,
  saleOptOutNotice: 1,
  sharingOptOutNotice: 1,
  targetedAdvertisingOptOutNotice: 1,
  // Vow's policy processes no sensitive data, so these do not apply.
  sensitiveDataProcessingOptOutNotice: 0,
  sensitiveDataLimitUseNotice: 0,
};

const optOut = (v: boolean): TwoBit => (v ? 1 : 2);

/** The usnat section (core segment '.' GPC segment). */
export function encodeUsNatSection(s: UsNatSignals, notices: UsNatNotices = DEFAULT_NOTICES): string {
  const core = new Bits()
    .int(USNAT_VERSION, 6)
    .int(notices.sharingNotice, 2)
    .int(notices.saleOptOutNotice, 2)
    .int(notices.sharingOptOutNotice, 2)
    .int(notices.targetedAdvertisingOptOutNotice, 2)
    .int(notices.sensitiveDataProcessingOptOutNotice, 2)
    .int(notices.sensitiveDataLimitUseNotice, 2)
    .int(optOut(s.saleOptOut), 2)
    .int(optOut(s.sharingOptOut), 2)
    .int(optOut(s.targetedAdvertisingOptOut), 2);
  // Sensitive data processing (16 categories) and known-child consents (3): none processed.
  for (let i = 0; i < 16; i++) core.int(0, 2);
  for (let i = 0; i < 3; i++) core.int(0, 2);
  core
    .int(0, 2) // PersonalDataConsents: not applicable
    .int(2, 2) // MspaCoveredTransaction: no (Vow's retailer is not an MSPA signatory by default)
    .int(0, 2) // MspaOptOutOptionMode
    .int(0, 2); // MspaServiceProviderMode
  const gpc = new Bits().int(1, 2).bool(s.gpc);
  return `${core.toBase64Url()}.${gpc.toBase64Url()}`;
}

/** The GPP header naming the sections present (here only usnat). */
export function encodeGppHeader(sectionIds: readonly number[]): string {
  const sorted = [...sectionIds].sort((a, b) => a - b);
  const bits = new Bits().int(GPP_HEADER_TYPE, 6).int(GPP_VERSION, 6).int(sorted.length, 12);
  let previous = 0;
  for (const id of sorted) {
    bits.bool(false).fibonacci(id - previous);
    previous = id;
  }
  return bits.toBase64Url();
}

/** The full GPP string: header '~' usnat section. */
export function gppString(s: UsNatSignals, notices: UsNatNotices = DEFAULT_NOTICES): string {
  return `${encodeGppHeader([USNAT_SECTION_ID])}~${encodeUsNatSection(s, notices)}`;
}
