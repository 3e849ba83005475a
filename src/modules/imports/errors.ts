// Error codes of imports: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const IMPORTS_ERROR_CODES = {
  VOW_IMPORT_UNKNOWN_FORMAT: {
    status: 400,
    meaning:
      'The import format is not one of shopify-customers, shopify-orders, mailchimp, klaviyo, sms-optouts, ndjson.',
  },
  VOW_IMPORT_FILE: {
    status: 400,
    meaning:
      'The file to import cannot be read (no such file, a folder, no permission), or is not text (an Excel workbook, a ZIP or gzip archive: the message says what to import instead); nothing was imported.',
  },
  VOW_IMPORT_ENCODING: {
    status: 400,
    meaning:
      'The file is not UTF-8 text (the details name the first line that is not); nothing was imported.',
  },
  VOW_IMPORT_COLUMNS: {
    status: 400,
    meaning:
      "The file's header lacks a column the format needs (the details name it), or the file is empty; nothing was imported.",
  },
  VOW_IMPORT_QUOTES: {
    status: 400,
    meaning:
      'A quoted value of the CSV file opens and never closes where it should (a quote missing or stray), so the rows after it would be read as part of it; the details name its line. Nothing was imported.',
  },
  VOW_IMPORT_LINE_TOO_LONG: {
    status: 400,
    meaning:
      'A line of the file is longer than 1 MiB (the details name it), which no export row is: probably not the file or format meant. Nothing was imported.',
  },
  VOW_IMPORT_MALFORMED: {
    status: 400,
    meaning:
      'A row the CSV or NDJSON reader cannot read (a stray quote, a wrong number of columns, not JSON): refused and reported with its line; the rest of the file is imported.',
  },
  VOW_IMPORT_BUSY: {
    status: 409,
    meaning:
      'Another run of the same file and format is importing it now; this one stopped without writing its batch.',
  },
  VOW_IMPORT_NOT_FOUND: { status: 404, meaning: 'No import run has this id.' },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof IMPORTS_ERROR_CODES> {}
}
