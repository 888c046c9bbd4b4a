// The offline log viewer: the panel UI on a page of its own, with no extension and no inspected page.
// Built to dist/viewer as classic scripts with the reader worker inlined, so it runs from file:// too.
import '../panel/panel.css';
import LogWorker from '../panel/sources/log-worker.ts?worker&inline';
import { mountPanel } from '../panel/views/app';
import type { ThemeName } from '../panel/sources/env';
import type { PanelSource } from '../panel/sources/source';
import { browserName } from '../core/log/format';
import pkg from '../../package.json';

/** No live capture here: an empty, fixed source until a log is opened. */
const none: PanelSource = {
  capabilities: { live: false, clear: false },
  subscribe(l) {
    l.status({ connection: 'offline', tab: null, malformed: 0 });
    return () => undefined;
  },
  clear() {},
};

const dark = matchMedia('(prefers-color-scheme: dark)');
const theme = (): ThemeName => (dark.matches ? 'dark' : 'light');

mountPanel(document.getElementById('app')!, none, {
  theme: {
    current: theme,
    onChange(fn) {
      const on = (): void => fn(theme());
      dark.addEventListener('change', on);
      return () => dark.removeEventListener('change', on);
    },
  },
  logs: { createWorker: () => new LogWorker(), tool: { name: pkg.name, version: pkg.version }, browser: browserName(navigator.userAgent), viewer: true },
});
