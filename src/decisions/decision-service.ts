// Decisions for callers that name a person by id: gathers what the other modules know about them
// (kinds, consent, restrictions, the under-13 marker), then asks the pure engine.
import { VowError } from '../errors.js';
import type { Policy } from '../policy/model.js';
import { type Decision, decide, type SubjectState } from './decide.js';

/** A person as a caller names them: by the kind(s) their data was collected under, or by Vow's id. */
export type SubjectRef =
  | { readonly kind: string }
  | { readonly kinds: readonly string[] }
  | { readonly id: string };

export interface DecisionInput {
  readonly subject: SubjectRef;
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly recipient?: string | undefined;
}

/**
 * Contributes part of a subject's state. Returns undefined when it knows nothing of the subject.
 * The subjects module answers `known` and `kinds`; consent adds `channels`; rights adds `restriction`.
 */
export type SubjectStateProvider = (
  subjectId: string,
) => Promise<(Partial<SubjectState> & { known?: boolean }) | undefined>;

export class DecisionService {
  readonly #policy: () => Policy;
  readonly #providers: SubjectStateProvider[] = [];
  readonly #observe: ((purpose: string, decision: Decision) => void) | undefined;

  /** `observe` sees every decision made (for metrics); it must not throw. */
  constructor(policy: () => Policy, observe?: (purpose: string, decision: Decision) => void) {
    this.#policy = policy;
    this.#observe = observe;
  }

  /** Adds a source of subject state; called once per module at start-up. */
  addProvider(provider: SubjectStateProvider): void {
    this.#providers.push(provider);
  }

  async resolve(ref: SubjectRef): Promise<SubjectState> {
    if ('kind' in ref) return { kinds: [ref.kind] };
    if ('kinds' in ref) return { kinds: ref.kinds };
    let known = false;
    let state: SubjectState = { kinds: [] };
    const parts = await Promise.all(this.#providers.map((p) => p(ref.id)));
    for (const part of parts) {
      if (!part) continue;
      known ||= part.known === true;
      const { known: _ignored, ...rest } = part;
      state = {
        ...state,
        ...rest,
        kinds: [...new Set([...state.kinds, ...(rest.kinds ?? [])])],
        channels: { ...state.channels, ...rest.channels },
        under13: state.under13 === true || rest.under13 === true,
      };
    }
    if (!known) throw new VowError('VOW_UNKNOWN_SUBJECT', 'No subject with this id is known');
    return state;
  }

  async decide(input: DecisionInput): Promise<Decision> {
    const subject = await this.resolve(input.subject);
    const decision = decide(this.#policy(), {
      subject,
      purpose: input.purpose,
      categories: input.categories,
      ...(input.recipient === undefined ? {} : { recipient: input.recipient }),
    });
    this.#observe?.(input.purpose, decision);
    return decision;
  }
}
