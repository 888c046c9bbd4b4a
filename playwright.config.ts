// The e2e suite: the built extension in Debian's Chromium (Playwright) and Firefox ESR (Marionette), each
// worker with one browser and its own simulators. `npm run test:e2e`; see the README for one test or project.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  globalSetup: './e2e/global-setup.ts',
  workers: 2,
  retries: 1,
  // A test that passes only on its retry fails the run, named as flaky: races get fixed, not hidden.
  failOnFlakyTests: true,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  projects: [
    { name: 'firefox', testDir: 'e2e/firefox' },
    { name: 'chromium', testDir: 'e2e/chromium' },
  ],
});
