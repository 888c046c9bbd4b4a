// Issue #17, secrets in every direction, in Debian's Firefox ESR with the built extension (the redaction code path
// is the one Chromium runs): the corpus of simulator/secrets.ts played both ways over a real Socket.IO server
// (2.x and 4.x, WebSocket and long polling), then no secret (nor its hex or base64 forms) in the DevTools Spaces
// tab with every row opened and its payload tree and raw frame expanded, and the look-alikes still there.
// Played by the simulator's `?scenario=secrets` and by e2e/lib/secrets-server.ts (connect frames, a refusal, frames
// that do not decode, look-alikes). Storage and exports are checked in Chromium (e2e/chromium/secrets.spec.ts): the same background and writer code.
import { expect } from '@playwright/test';
import { test } from '../fixtures/firefox';
import { SECRET_EVENTS } from '../../simulator/secrets';
import { inPanel, type Firefox, openSpacesPanel, openTab, panelContent, panelRows, waitForPanelRows, waitForSimDone } from '../lib/firefox';
import { everyRowDetail, keptMissing, leaksIn } from '../lib/secrets-check';
import { secretsServers, type SecretsServer } from '../lib/secrets-server';
import { rowsUntil } from '../lib/wait';

const servers = secretsServers();
const server = (gen: 2 | 4): Promise<SecretsServer> => servers.get(gen);
test.afterAll(() => servers.close());

const CORPUS_EVENTS = [...new Set(SECRET_EVENTS.flatMap((e) => (e.event ? [e.event] : [])))];

/** The corpus in the DevTools Spaces tab of the current tab once it played it, every row opened. */
async function checkPanel(ff: Firefox, opts: { broken: number; kept: boolean }): Promise<void> {
  await openSpacesPanel(ff);
  await waitForPanelRows(ff, CORPUS_EVENTS.length + 4);
  const rows = await rowsUntil(`${opts.broken} frames that do not decode listed`, () => panelRows(ff), (rs) => rs.filter((r) => r.event.endsWith('decode error')).length >= opts.broken, 30_000);
  const n = await waitForPanelRows(ff, rows.length);
  const names = new Set(rows.map((r) => r.event));
  expect(CORPUS_EVENTS.filter((e) => !names.has(e)), 'corpus events with no row').toEqual([]);

  const details = await inPanel(ff, everyRowDetail, undefined, 90_000);
  expect(details.length, 'every row opened').toBe(n);
  const leaks: string[] = [];
  details.forEach((d, i) => leaks.push(...leaksIn(`detail of row ${i + 1} (${d.title})`, d.html + '\n' + d.text)));
  const { html, text } = await panelContent(ff);
  leaks.push(...leaksIn('panel DOM', html + '\n' + text), ...leaksIn('rows', JSON.stringify(rows)));
  expect(leaks, 'secrets found').toEqual([]);
  const allDetails = details.map((d) => d.text).join('\n');
  expect(allDetails).toContain('[redacted]');
  if (opts.kept) expect(keptMissing('the detail panes', allDetails), 'look-alikes lost').toEqual([]);
}

for (const gen of [2, 4] as const) {
  for (const transport of ['websocket', 'polling'] as const) {
    test.describe(`Firefox secrets: socket.io ${gen}.x over ${transport}`, () => {
      test('the simulator\'s ?scenario=secrets: no secret in the panel with every row opened', async ({ ff, sims }) => {
        test.setTimeout(150_000);
        await openTab(ff, `${(await sims.get(gen)).origin}/?transport=${transport}&scenario=secrets`);
        await waitForSimDone(ff);
        await checkPanel(ff, { broken: 0, kept: false });
      });

      test('no secret of the corpus, both ways, in the panel with every row opened; the look-alikes stay', async ({ ff }, testInfo) => {
        test.setTimeout(150_000);
        const srv = await server(gen);
        await openTab(ff, srv.pageUrl(transport));
        try {
          await waitForSimDone(ff);
        } finally {
          await testInfo.attach('secrets server log', { body: srv.log.join('\n'), contentType: 'text/plain' });
        }
        // The server's frames that do not decode come last: a socket.io 4 client closes on the first (the PIN).
        await checkPanel(ff, { broken: gen === 2 ? 2 : 1, kept: true });
      });
    });
  }
}
