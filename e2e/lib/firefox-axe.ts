// axe-core in Firefox's DevTools panel: the extension page's CSP refuses an injected script, so axe runs
// in a sandbox over the panel's window from the frame script (Cu.Sandbox, no Xrays: it sees the page's DOM).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { inPanel, type Firefox } from './firefox';

const AXE = resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

/** The serious and critical violations axe-core finds in the panel ("id (nodes) html…"). */
export async function firefoxAxeViolations(ff: Firefox): Promise<string[]> {
  return inPanel(
    ff,
    async (w, src) => {
      const g = globalThis as unknown as { Components: { utils: { Sandbox(p: unknown, o: object): object; evalInSandbox(s: string, sb: object): unknown } } };
      const Cu = g.Components.utils;
      const sb = Cu.Sandbox(w, { sandboxPrototype: w, wantXrays: false });
      Cu.evalInSandbox(src, sb);
      const json = await (Cu.evalInSandbox(
        `axe.run(document, { resultTypes: ['violations'] }).then((r) => JSON.stringify(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ' (' + v.nodes.length + ') ' + v.nodes.map((n) => n.html.slice(0, 120)).join(' | '))))`,
        sb,
      ) as Promise<string>);
      return JSON.parse(json) as string[];
    },
    readFileSync(AXE, 'utf8'),
    60_000,
  );
}
