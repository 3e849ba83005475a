// Data subject requests, the JSON API: the staff's actions on one request (verify by matching
// details and its four-eyes approval, confirm an agent, approve a correction, extend, deny,
// acknowledge, lift a restriction), each `POST /v1/staff/requests/{id}/<action>`.

import { z } from 'zod';
import type { ErrorCode } from '../../platform/errors.js';
import { line } from '../../platform/strings.js';
import { email, id, viewSchema } from '../rights-schemas.js';
import { staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

/** The codes an action raises beyond an unknown request and one not in a state it applies to. */
const ACTION_ERRORS: Readonly<Record<string, readonly ErrorCode[]>> = {
  'verify-data-points': ['VOW_VERIFICATION_FAILED'],
  'approve-verification': ['VOW_APPROVAL_NOT_INDEPENDENT'],
  'reject-verification': ['VOW_APPROVAL_NOT_INDEPENDENT'],
  extend: ['VOW_EXTENSION_NOT_ALLOWED'],
};

export const rightsStaffActionRoutes: RouteModule = (app, _ctx, services) => {
  const rights = services.rights;
  const staffAction = <B extends z.ZodType>(
    path: string,
    access: 'staff:customer_service' | 'staff:privacy_officer',
    summary: string,
    body: B,
    run: (requestId: string, body: z.infer<B>, staffId: string) => Promise<unknown>,
  ) =>
    app.post(
      `/v1/staff/requests/:id/${path}`,
      {
        config: { access },
        schema: {
          tags: ['rights'],
          errors: ['VOW_REQUEST_NOT_FOUND', 'VOW_REQUEST_STATE', ...(ACTION_ERRORS[path] ?? [])],
          summary,
          params: z.strictObject({ id }),
          body,
          response: { 200: z.object({ request: viewSchema, outcome: z.unknown() }) },
        },
      },
      async (req) => {
        const { id: requestId } = req.params as { id: string };
        const outcome = await run(requestId, req.body as z.infer<B>, staffIdOf(req));
        return { request: await rights.get(requestId), outcome: outcome ?? null };
      },
    );

  staffAction(
    'verify-data-points',
    'staff:customer_service',
    "Verify a person without an account by matching details (2 for categories; 3 and a signed declaration for more, which then waits for a privacy officer's approval: outcome.pendingApproval)",
    z.strictObject({
      email: email.optional(),
      phone: line().min(3).max(40).optional(),
      accountId: line().min(1).max(200).optional(),
      address: z
        .strictObject({
          line1: line().min(1).max(200),
          line2: line().max(200).optional(),
          city: line().min(1).max(100),
          region: line().max(100).optional(),
          postal_code: line().min(1).max(20),
          country: line().length(2),
        })
        .optional(),
      declarationSigned: z.boolean().default(false),
    }),
    (rid, b, staff) => {
      const { declarationSigned, ...points } = b;
      return rights.verifyByDataPoints(rid, points, declarationSigned, staff);
    },
  );
  staffAction(
    'approve-verification',
    'staff:privacy_officer',
    "Approve a staff verification waiting for a second person (a deletion's, a correction's or a copy of the values); not by the verifier nor an account they issued or were issued by (VOW_APPROVAL_NOT_INDEPENDENT)",
    z.strictObject({}),
    (rid, _b, staff) => rights.approveVerification(rid, staff),
  );
  staffAction(
    'reject-verification',
    'staff:privacy_officer',
    'Reject a staff verification waiting for a second person, saying why: the request waits for verification again',
    z.strictObject({ reason: line().min(3).max(1000) }),
    (rid, b, staff) => rights.rejectVerification(rid, staff, b.reason),
  );
  staffAction(
    'confirm-agent',
    'staff:customer_service',
    "Confirm an authorised agent's signed permission",
    z.strictObject({}),
    (rid, _b, staff) => rights.confirmAgent(rid, staff),
  );
  staffAction(
    'approve-correction',
    'staff:customer_service',
    'Approve a correction after checking the evidence; it is applied to every dataset',
    z.strictObject({}),
    (rid, _b, staff) => rights.approveCorrection(rid, staff),
  );
  staffAction(
    'extend',
    'staff:customer_service',
    'Extend the deadline once (GDPR +2 months, CCPA and the US state laws their extension, e.g. +45 days) within the first period; the person is told why',
    z.strictObject({ reason: line().min(3).max(1000) }),
    (rid, b, staff) => rights.extend(rid, b.reason, staff),
  );
  staffAction(
    'deny',
    'staff:privacy_officer',
    'Refuse a request with its legal basis (kept in the request log)',
    z.strictObject({ basis: line().min(3).max(1000) }),
    (rid, b, staff) => rights.deny(rid, b.basis, staff),
  );
  staffAction(
    'acknowledge',
    'staff:customer_service',
    'Record that the request was acknowledged',
    z.strictObject({}),
    (rid, _b, staff) => rights.acknowledge(rid, staff),
  );
  staffAction(
    'lift-restriction',
    'staff:privacy_officer',
    'Lift a restriction: the person is told first (GDPR Art. 18(3)); objections to marketing cannot be lifted',
    z.strictObject({ reason: line().min(3).max(1000) }),
    async (rid, b, staff) => ({ lifted: await rights.liftRestriction(rid, staff, b.reason) }),
  );
};
