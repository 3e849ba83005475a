// The JSON shape of an incident's US state breach-notification clocks, shared by the incident routes
// (`GET /v1/incidents/{id}`, `usStates`) and the routes that change them (api/incident-states.ts).
import { z } from 'zod';
import { STATE_NOTICE_KINDS } from '../modules/incidents/index.js';

/** A count of people: exact for the privacy officer, else below 5 only "fewer than 5". */
const shownCount = z.union([z.number(), z.object({ fewerThan: z.number() })]);
const duty = z.object({
  kind: z.enum(STATE_NOTICE_KINDS),
  who: z.string(),
  state: z.enum(['due', 'overdue', 'done', 'not_required']),
  rule: z.string(),
  threshold: z.string().nullable(),
  deadlineAt: z.string().nullable(),
  provisional: z.boolean(),
  msLeft: z.number().nullable(),
  given: z.object({ at: z.string(), to: z.string() }).nullable(),
  late: z.boolean(),
  cite: z.string(),
});
/** The residents per US state and the clocks of each state's breach law (nearest open deadline first). */
export const usStatesView = z.object({
  source: z.enum(['entered', 'counted']).nullable(),
  updatedAt: z.string().nullable(),
  residents: z.array(z.object({ state: z.string(), name: z.string(), count: shownCount })),
  unknown: shownCount,
  outsideUs: shownCount,
  clocks: z.array(
    z.object({
      state: z.string(),
      name: z.string(),
      residents: shownCount,
      modelled: z.boolean(),
      statute: z.string().nullable(),
      note: z.string().nullable(),
      duties: z.array(duty),
    }),
  ),
});
