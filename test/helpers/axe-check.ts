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
