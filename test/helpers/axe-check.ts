// Runs axe-core in a page (every rule it runs by default) and returns its violations, each as a short line
// naming the rule and the elements, for an assertion message. Injected through the DevTools
// protocol, so the pages' Content Security Policy (script-src 'self') does not block it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<unknown> } }).axe;
    // Every rule axe runs by default (WCAG 2.x A and AA, and its best practices); details are
    // gathered for violations only.
    const r = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: { id: string; help: string; nodes: { target: string[] }[] }[];
    };
    return r.violations.map(
      (v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  });
  return violations;
}

/** How far the page scrolls sideways (0: it fits the window's width). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * Words broken across two lines inside a table's caption or cell ("Requ|ired"), as "cell text:
 * word": a column (or a caption) squeezed below its longest word. A hyphen or slash may end a line
 * ("second-|factor"); words over 24 characters (ids, addresses) may wrap and are not counted.
 */
export async function brokenWordsInTables(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const cell of Array.from(document.querySelectorAll('table caption, table th, table td'))) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const m of text.matchAll(/[^\s\-/]+/g)) {
          if (m[0].length > 24) continue;
          const range = document.createRange();
          range.setStart(node, m.index ?? 0);
          range.setEnd(node, (m.index ?? 0) + m[0].length);
          const lines = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(`${(cell.textContent ?? '').trim().slice(0, 40)}: ${m[0]}`);
        }
      }
    }
    return broken;
  });
}

/**
 * The controls a finger taps that are less than 44 px tall (WCAG 2.5.5), as "tag[words] height":
 * links, buttons, fields and summaries on screen, except a link inside a sentence (its line is the
 * sentence's) and a checkbox or radio button (its label is the target).
 */
export async function smallTapTargets(page: Page, root = 'body'): Promise<string[]> {
  return page.evaluate((rootSelector) => {
    const small: string[] = [];
    const scope = document.querySelector(rootSelector);
    if (!scope) return small;
    for (const el of Array.from(
      scope.querySelectorAll('a[href], button, input, select, textarea, summary'),
    )) {
      const r = el.getBoundingClientRect();
      const type = (el as HTMLInputElement).type;
      if (r.width === 0 || r.height === 0 || r.right <= 0 || type === 'hidden') continue;
      if (type === 'checkbox' || type === 'radio') continue;
      if (getComputedStyle(el).visibility === 'hidden') continue;
      const block = el.parentElement?.closest('p, li, td, dd, dt, caption, span.small, label');
      const own = (el.textContent ?? '').trim().length;
      const inSentence =
        el.tagName === 'A' && block && (block.textContent ?? '').replace(/\s+/g, ' ').trim().length > own + 3;
      if (inSentence) continue;
      if (r.height < 43.5) {
        const words = (el.textContent || (el as HTMLInputElement).name || el.id || '').trim().slice(0, 30);
        small.push(`${el.tagName.toLowerCase()}[${words}] ${Math.round(r.height)}px`);
      }
    }
    return small;
  }, root);
}
