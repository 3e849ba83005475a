// The IAB GPP state sections besides usnat: usva (9), usco (10), usut (11) and usct (12), written
// from the specification like gpp.ts. A visitor's string carries usnat and, when their state is one
// of these, that state's section; the opt-outs are the same choice (sale, targeted advertising).
import {
  Bits,
  DEFAULT_NOTICES,
  encodeGppHeader,
  encodeUsNatSection,
  USNAT_SECTION_ID,
  type UsNatSignals,
} from './gpp.js';

export const STATE_SECTIONS = {
  'us-va': { id: 9, name: 'usva' },
  'us-co': { id: 10, name: 'usco' },
  'us-ut': { id: 11, name: 'usut' },
  'us-ct': { id: 12, name: 'usct' },
} as const;
export type GppState = keyof typeof STATE_SECTIONS;

const optOut = (v: boolean): number => (v ? 1 : 2);
const n = DEFAULT_NOTICES;

/** The MSPA fields closing every state core segment: not a covered transaction. */
function mspa(b: Bits): Bits {
  return b.int(2, 2).int(0, 2).int(0, 2);
}

function zeros(b: Bits, count: number): Bits {
  for (let i = 0; i < count; i++) b.int(0, 2);
  return b;
}

/** One state section's text (core segment, and the GPC segment where the section has one). */
export function encodeStateSection(state: GppState, s: UsNatSignals): string {
  const b = new Bits().int(1, 6); // Version 1 of each state section
  switch (state) {
    case 'us-va':
      b.int(n.sharingNotice, 2).int(n.saleOptOutNotice, 2).int(n.targetedAdvertisingOptOutNotice, 2);
      b.int(optOut(s.saleOptOut), 2).int(optOut(s.targetedAdvertisingOptOut), 2);
      zeros(b, 8).int(0, 2); // sensitive data (8), known child
      return mspa(b).toBase64Url();
    case 'us-co':
      b.int(n.sharingNotice, 2).int(n.saleOptOutNotice, 2).int(n.targetedAdvertisingOptOutNotice, 2);
      b.int(optOut(s.saleOptOut), 2).int(optOut(s.targetedAdvertisingOptOut), 2);
      zeros(b, 7).int(0, 2); // sensitive data (7), known child
      return `${mspa(b).toBase64Url()}.${new Bits().int(1, 2).bool(s.gpc).toBase64Url()}`;
    case 'us-ut':
      b.int(n.sharingNotice, 2).int(n.saleOptOutNotice, 2).int(n.targetedAdvertisingOptOutNotice, 2);
      b.int(n.sensitiveDataProcessingOptOutNotice, 2);
      b.int(optOut(s.saleOptOut), 2).int(optOut(s.targetedAdvertisingOptOut), 2);
      zeros(b, 8).int(0, 2); // sensitive data (8), known child
      return mspa(b).toBase64Url();
    case 'us-ct':
      b.int(n.sharingNotice, 2).int(n.saleOptOutNotice, 2).int(n.targetedAdvertisingOptOutNotice, 2);
      b.int(optOut(s.saleOptOut), 2).int(optOut(s.targetedAdvertisingOptOut), 2);
      zeros(b, 8); // sensitive data (8)
      zeros(b, 3); // known child consents (3)
      return `${mspa(b).toBase64Url()}.${new Bits().int(1, 2).bool(s.gpc).toBase64Url()}`;
  }
}

export function isGppState(jurisdiction: string | undefined): jurisdiction is GppState {
  return jurisdiction !== undefined && Object.hasOwn(STATE_SECTIONS, jurisdiction);
}

/** The full GPP string: usnat, plus the section of the visitor's state when GPP has one. */
export function gppStringFor(s: UsNatSignals, jurisdiction?: string): string {
  if (!isGppState(jurisdiction)) return `${encodeGppHeader([USNAT_SECTION_ID])}~${encodeUsNatSection(s)}`;
  const state = STATE_SECTIONS[jurisdiction];
  return `${encodeGppHeader([USNAT_SECTION_ID, state.id])}~${encodeUsNatSection(s)}~${encodeStateSection(jurisdiction, s)}`;
}
