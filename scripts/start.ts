// `./dev.sh start` after the build: runs the Spaces simulator (socket.io 2.x on :8080, 4.x on :8084) and
// opens Chromium with the extension on the demo page where there is a display; otherwise says how to load it.
// Under CI=true it checks that the demo page and the built extensions are there, then stops.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSimulator } from '../simulator/server';
import { findChromium } from '../e2e/lib/browsers';

const root = resolve(import.meta.dirname, '..');
const chromeDir = resolve(root, 'dist/chrome');
const firefoxDir = resolve(root, 'dist/firefox');

const v2 = await startSimulator({ generation: 2, port: Number(process.env.SIM_PORT ?? 8080) });
const v4 = await startSimulator({ generation: 4, port: Number(process.env.SIM_PORT_V4 ?? 8084), quiet: true });
const demo = `${v2.origin}/?transport=websocket`;

console.log(`
Spaces simulator
  socket.io 2.x: ${demo}   (long-polling: ${v2.origin}/?transport=polling)
  socket.io 4.x: ${v4.origin}/?transport=websocket
  people, meetings and calls (People and Meetings views): ${v2.origin}/?scenario=people
Extension builds: ${chromeDir}  and  ${firefoxDir}
`);

if (process.env.CI) {
  for (const dir of [chromeDir, firefoxDir]) if (!existsSync(resolve(dir, 'manifest.json'))) throw new Error(`no build in ${dir}`);
  for (const sim of [v2, v4]) {
    const res = await fetch(`${sim.origin}/`);
    if (!res.ok) throw new Error(`demo page on ${sim.origin}: HTTP ${res.status}`);
  }
  console.log('CI: the simulator serves its demo pages and both builds are there; stopping.');
  await Promise.all([v2.close(), v4.close()]);
  process.exit(0);
}

const chromium = findChromium();
if (process.env.DISPLAY && chromium) {
  const profile = resolve(root, '.cache/chromium-profile');
  mkdirSync(profile, { recursive: true });
  console.log('Opening Chromium with the extension; open DevTools (F12) and pick the "Spaces" tab.');
  const child = spawn(
    chromium,
    [
      `--user-data-dir=${profile}`,
      `--load-extension=${chromeDir}`,
      '--disable-features=DisableLoadExtensionCommandLineSwitch',
      '--auto-open-devtools-for-tabs',
      '--no-first-run',
      demo,
    ],
    { stdio: 'ignore' },
  );
  child.on('exit', () => void Promise.all([v2.close(), v4.close()]).then(() => process.exit(0)));
} else {
  console.log(`No display here, so no browser was opened. To look at it yourself:
  Chrome/Chromium: chrome://extensions → Developer mode → "Load unpacked" → ${chromeDir}
  Firefox:         about:debugging#/runtime/this-firefox → "Load Temporary Add-on…" → ${firefoxDir}/manifest.json
                   (then allow it on the page's origin from the Spaces tab, or in the add-on's permissions)
  Then open ${demo}, open DevTools and pick the "Spaces" tab.
The simulator runs until you press Ctrl+C.`);
}
