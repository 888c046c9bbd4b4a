// Where the system browsers are: Debian's chromium and firefox-esr, or CHROME_PATH / FIREFOX_PATH.
import { existsSync } from 'node:fs';

function first(paths: (string | undefined)[]): string | undefined {
  return paths.find((p): p is string => !!p && existsSync(p));
}

export function findChromium(): string | undefined {
  return first([process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']);
}

export function findFirefox(): string | undefined {
  return first([process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox']);
}
