// The console's screenshots beyond the menu's pages (scripts/screenshots.ts takes those from the
// menu): a page with something in it or done on it (an import, a new key shown once, a policy check,
// the Art. 34 message in both languages, a refused filter) and the dark-mode shots.
import type { Page } from 'playwright-core';

export interface Shot {
  readonly name: string;
  readonly title: string;
  readonly path: string;
  /** Runs after the page loads (open the banner, ...). */
  readonly prepare?: (page: Page) => Promise<void>;
  /** The page in this language (as the browser asks for it); English otherwise. */
  readonly locale?: 'es';
  /** Only what the window shows once prepared (the page has scrolled to its result), not the whole page. */
  readonly window?: boolean;
  /**
   * The page's first this many screens (window heights), not the whole page: a long list or record
   * (200 recipient tasks, every activity of the record of processing) was 10,000-31,000 px and 2-3 MB
   * a shot, and its first screens show what the docs show it for.
   */
  readonly screens?: number;
  /** In dark mode (prefers-color-scheme: dark). */
  readonly dark?: true;
}

/** What the demo made for these pages, and the pass's size (each makes its own API key). */
export interface ConsoleExtrasInput {
  readonly size: { readonly newKey: { readonly forWhat: string; readonly scope: string } };
  readonly importRunId: string | null;
  readonly letterRequestId: string;
  /** An incident decided a high risk, not yet told. */
  readonly incidentId: string;
  readonly minimalPolicy: string;
}

/** The Art. 34 message's Spanish version (the English one is prefilled from the incident). */
const SPANISH = {
  whatHappened: 'Una empresa de mensajería perdió una caja de albaranes impresos camino del almacén.',
  consequences: 'Alguien podría enviarle cartas haciéndose pasar por la tienda.',
  measures: 'Cambiamos de empresa de mensajería y se buscó la caja en el almacén.',
  advice: 'Desconfíe de cartas que le pidan pagar un pedido que no hizo.',
};

export function consoleExtras(o: ConsoleExtrasInput): Shot[] {
  const extra: Shot[] = [];
  extra.push({
    name: 'console-import',
    title: 'Console: an import',
    path: `/staff/imports/${o.importRunId}`,
  });
  extra.push({
    name: 'console-api-key-created',
    title: 'Console: a new API key, shown once',
    path: '/staff/api-keys',
    prepare: async (p) => {
      await p.getByLabel('What it is for').fill(o.size.newKey.forWhat);
      await p.getByRole('checkbox', { name: new RegExp(`^${o.size.newKey.scope}:`) }).check();
      await p.getByRole('button', { name: 'Create the key' }).click();
      await p.getByTestId('new-key').waitFor();
    },
  });
  extra.push({
    name: 'console-policy-check',
    title: 'Console: a policy file checked against the policy in force',
    path: '/staff/policy',
    window: true,
    prepare: async (p) => {
      await p.getByLabel("Or paste the file's text").fill(o.minimalPolicy);
      await p.getByRole('button', { name: 'Check the file' }).click();
      await p.getByTestId('policy-check-result').waitFor();
    },
  });
  extra.push({
    name: 'console-request-approval',
    title: "Console: a staff verification waiting for a privacy officer's approval",
    path: `/staff/requests/${o.letterRequestId}`,
  });
  extra.push({
    name: 'console-error-404',
    title: 'Console: a mistyped address',
    path: '/staff/no-such-page',
  });
  extra.push({
    name: 'console-requests-refused-filter',
    title: 'Console: the request queue opened with a filter it cannot use (?status=bogus)',
    path: '/staff/requests?status=bogus',
  });
  extra.push(
    {
      name: 'dark-console-dashboard',
      title: 'Console: the dashboard, dark mode',
      path: '/staff',
      dark: true,
    },
    {
      name: 'dark-console-requests',
      title: 'Console: the request queue, dark mode',
      path: '/staff/requests',
      dark: true,
    },
    {
      name: 'dark-console-requests-refused-filter',
      title: 'Console: the request queue with a filter it cannot use, dark mode',
      path: '/staff/requests?status=bogus',
      dark: true,
    },
  );
  extra.push({
    name: 'console-incident-notify',
    title: 'Console: the Art. 34 message to the people affected, in English and Spanish, previewed',
    path: `/staff/incidents/${o.incidentId}/notify`,
    prepare: async (p: Page) => {
      await p
        .locator('#m-advice')
        .fill('Be wary of letters asking you to pay for an order you did not place.');
      for (const [field, text] of Object.entries(SPANISH)) await p.locator(`#m-${field}-es-US`).fill(text);
      await p.getByRole('button', { name: 'Preview' }).click();
      await p.getByTestId('notice-preview').waitFor();
    },
  });
  return extra;
}
