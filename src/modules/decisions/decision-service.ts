// Decisions for callers that name a person by id: gathers what the other modules know about them
// (kinds, consent, restrictions, the under-13 marker), then asks the pure engine.
import { VowError } from '../../platform/errors.js';
import type { Policy } from '../policy/index.js';
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
  /**
   * Decisions about kinds, by question, for the policy they were made under: such a decision is a
   * pure function of the policy and the question, and the shop backend asks the same few questions
   * on every page. Frozen, so no caller can change a shared answer; bounded (cleared when full).
   */
  readonly #byQuestion = new Map<string, Decision>();
  #questionsOf: Policy | undefined;

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

  /**
   * The decision for a caller's question. A subject named by kind needs nothing from the store and
   * is answered at once (no promise: the shop backend asks on every page, and the HTTP route sends
   * a plain value without a trip through the microtask queue); a subject named by id is looked up.
   */
  decide(input: DecisionInput): Decision | Promise<Decision> {
    const ref = input.subject;
    if ('kind' in ref) return this.#decideForKinds([ref.kind], input);
    if ('kinds' in ref) return this.#decideForKinds(ref.kinds, input);
    return this.resolve(ref).then((subject) => this.#decideFor(subject, input));
  }

  /** A decision about kinds: remembered by question (see #byQuestion); errors are never remembered. */
  #decideForKinds(kinds: readonly string[], input: DecisionInput): Decision {
    const policy = this.#policy();
    if (policy !== this.#questionsOf) {
      this.#byQuestion.clear();
      this.#questionsOf = policy;
    }
    const key = questionKey(kinds, input);
    let decision = this.#byQuestion.get(key);
    if (decision === undefined) {
      decision = deepFreeze(this.#decideWith(policy, { kinds }, input));
      if (this.#byQuestion.size >= MAX_QUESTIONS) this.#byQuestion.clear();
      this.#byQuestion.set(key, decision);
    }
    this.#observe?.(input.purpose, decision);
    return decision;
  }

  #decideFor(subject: SubjectState, input: DecisionInput): Decision {
    const decision = this.#decideWith(this.#policy(), subject, input);
    this.#observe?.(input.purpose, decision);
    return decision;
  }

  #decideWith(policy: Policy, subject: SubjectState, input: DecisionInput): Decision {
    return decide(policy, {
      subject,
      purpose: input.purpose,
      categories: input.categories,
      ...(input.recipient === undefined ? {} : { recipient: input.recipient }),
    });
  }
}

/**
 * The memory's key for a question about kinds: each name prefixed with its length, so no two
 * questions share a key whatever their names hold. Built by concatenation: JSON.stringify of the
 * same parts cost about twice as much, on every decision the shop backend asks (BENCHMARKS.md).
 */
export function questionKey(kinds: readonly string[], input: DecisionInput): string {
  const recipient = input.recipient;
  let key = `${input.purpose.length}:${input.purpose}${recipient === undefined ? '-' : `+${recipient.length}:${recipient}`}`;
  key += `k${kinds.length}`;
  for (const kind of kinds) key += `${kind.length}:${kind}`;
  key += `c${input.categories.length}`;
  for (const category of input.categories) key += `${category.length}:${category}`;
  return key;
}

/** How many questions about kinds are remembered before the memory starts again. */
const MAX_QUESTIONS = 2000;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
