// The US state breach-notification clocks of an incident, the JSON API for the privacy officer: the
// residents of each state (entered, or counted from the people Vow holds) and the notices given to
// them, their regulator and the consumer reporting agencies. The clocks themselves are part of
// `GET /v1/incidents/{id}` (`usStates`), for every reader of the register.

import { z } from 'zod';
import { STATE_NOTICE_KINDS } from '../../modules/incidents/index.js';
import { line, prose } from '../../platform/strings.js';
import { usStatesView } from '../incident-state-schemas.js';
import { staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const id = line().min(1).max(64);
const ERRORS = ['VOW_INCIDENT_NOT_FOUND', 'VOW_INCIDENT_RESIDENTS_INVALID', 'VOW_INCIDENT_STATE'] as const;

export const incidentStateApiRoutes: RouteModule = (app, _ctx, services) => {
  const states = services.incidentStates;
  const officer = { access: 'staff:privacy_officer' } as const;

  app.put(
    '/v1/incidents/:id/residents',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: [...ERRORS],
        summary:
          'The residents of each US state the breach concerns, as the privacy officer counts them (they replace the ones held); the state clocks follow',
        params: z.strictObject({ id }),
        body: z.strictObject({
          residents: z
            .record(line().max(12), z.number().int().min(0).max(1_000_000_000))
            .describe('`us-wi` (any US state), `unknown`, `outside_us` → people; 0 or left out: none'),
        }),
        response: { 200: usStatesView },
      },
    },
    async (req) => {
      await states.setResidents(req.params.id, req.body.residents, staffIdOf(req));
      return states.view(req.params.id, true);
    },
  );

  app.post(
    '/v1/incidents/:id/residents/count',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: [...ERRORS],
        summary:
          "Vow counts the residents of each US state from the people it holds with data of the incident's categories (to the time it became known), by the state of their postal address collected last, and keeps the counts; no one is listed",
        params: z.strictObject({ id }),
        body: z.strictObject({}).optional(),
        response: { 200: usStatesView },
      },
    },
    async (req) => {
      await states.countResidents(req.params.id, staffIdOf(req));
      return states.view(req.params.id, true);
    },
  );

  app.post(
    '/v1/incidents/:id/state-notices',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: [...ERRORS, 'VOW_INCIDENT_INVALID'],
        summary:
          "A notice given under a state's breach law (to its residents, its regulator or the consumer reporting agencies): it settles that clock; once per state and kind",
        params: z.strictObject({ id }),
        body: z.strictObject({
          state: line().max(12).describe('`us-wi`'),
          kind: z.enum(STATE_NOTICE_KINDS),
          at: line().max(40).optional().describe('ISO 8601; now when left out'),
          to: prose()
            .min(1)
            .max(2000)
            .describe('To whom and how, naming no one (e.g. "Attorney General, online form")'),
        }),
        response: { 200: usStatesView },
      },
    },
    async (req) => {
      await states.recordNotice(req.params.id, req.body, staffIdOf(req));
      return states.view(req.params.id, true);
    },
  );
};
