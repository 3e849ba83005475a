// A shopper page's optional query parameters are hints the page sets for itself (which message to
// show, that a button was pressed). A value the page does not know (an edited or cut link, a doubled
// parameter, a mail client's tracking tag) is dropped, never answered with "This link is not valid":
// the page behind a good token or session shows as it would without it. Required parameters keep
// their refusals.
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { VowError } from '../../platform/errors.js';

/** `schema`, optional; any value it refuses reads as absent. */
export const optionalHint = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * The pre-validation of a page with hints: a control character in any of its query values is still
 * refused (400, VOW_VALIDATION), as at every edge (platform/strings.ts says why), because forgiving a
 * hint is for links a person or a mail client mangled, and no such link holds one.
 */
export async function refuseControlCharacters(req: FastifyRequest): Promise<void> {
  // Named as a schema's refusal names them (path and what is wrong, never the value).
  const issues = Object.entries((req.query ?? {}) as Record<string, unknown>)
    .filter(([, value]) =>
      (Array.isArray(value) ? value : [value]).some((v) => typeof v === 'string' && CONTROL.test(v)),
    )
    .map(([name]) => ({ path: `/${name}`, message: 'must not contain control characters' }));
  if (issues.length > 0) throw new VowError('VOW_VALIDATION', 'Invalid request querystring', { issues });
}
