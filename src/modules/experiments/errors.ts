// Error codes of the layout experiments and aggregate reports (registered in src/errors.ts).
export const EXPERIMENT_REPORT_ERROR_CODES = {
  VOW_EXPERIMENT_NOT_FOUND: { status: 404, meaning: 'No layout experiment with this id exists.' },
  VOW_EXPERIMENT_EXISTS: { status: 409, meaning: 'A layout experiment with this id already exists.' },
  VOW_EXPERIMENT_INVALID: {
    status: 400,
    meaning: 'The experiment definition is inconsistent (duplicate layout ids or weights out of range).',
  },
  VOW_EXPERIMENT_STOPPED: {
    status: 409,
    meaning: 'The experiment was stopped; it records no more exposures.',
  },
  VOW_REPORT_PERIOD_OPEN: {
    status: 409,
    meaning: 'The reporting period has not ended yet; a report covers a finished ISO week only.',
  },
  VOW_REPORT_NOT_ALLOWED: {
    status: 403,
    meaning: 'The policy does not allow this aggregate report to go to this recipient.',
  },
  VOW_BUDGET_EXHAUSTED: {
    status: 403,
    meaning: "The recipient's privacy budget (epsilon) for this period is spent; no new report is released.",
  },
} as const;
