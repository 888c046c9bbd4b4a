// Asks for the host permission of one origin, for a DevTools panel that cannot ask itself (Firefox gives
// DevTools pages no permissions API: bug 1796933). Opened by the panel with ?origin=<http(s) origin>.
import browser from 'webextension-polyfill';
import { parseOrigin } from '../panel/sources/env';
import { capturePattern } from '../panel/sources/extension-env';

const origin = parseOrigin(new URLSearchParams(location.search).get('origin'), { exact: true });
const question = document.getElementById('question')!;
const button = document.getElementById('allow') as HTMLButtonElement;
const result = document.getElementById('result')!;

if (!origin) {
  question.textContent = 'No site to allow.';
} else {
  question.textContent = `Allow Spaces DevTools to capture the Socket.IO traffic of ${origin}?`;
  button.textContent = `Allow on ${origin}`;
  button.hidden = false;
  button.addEventListener('click', () => {
    // In the click handler: the browser asks the person, then answers.
    const pattern = capturePattern(origin, browser.runtime.getManifest().host_permissions ?? []);
    browser.permissions.request({ origins: [pattern] }).then(
      (ok) => {
        result.textContent = ok ? `Allowed on ${origin}. Reload the page in DevTools to capture.` : `Not allowed on ${origin}.`;
        if (ok) setTimeout(() => window.close(), 800);
      },
      (e: unknown) => (result.textContent = `Could not ask: ${e instanceof Error ? e.message : String(e)}`),
    );
  });
}
