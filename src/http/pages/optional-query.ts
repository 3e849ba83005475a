// A shopper page's optional query parameters are hints the page sets for itself (which message to
// show, that a button was pressed). A value the page does not know (an edited or cut link, a doubled
// parameter, a mail client's tracking tag) is dropped, never answered with "This link is not valid":
// the page behind a good token or session shows as it would without it. Required parameters keep
// their refusals.
import type { z } from 'zod';

/** `schema`, optional; any value it refuses reads as absent. */
export const optionalHint = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
