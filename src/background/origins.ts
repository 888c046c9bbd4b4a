// Origins a person added from the panel (a staging deployment, say): once the browser granted the host
// permission, the hook and the relay are registered there the same way the manifest declares them.
import browser from 'webextension-polyfill';
import { GRANTED_ORIGINS_KEY } from '../panel/sources/extension-env';

const ID_HOOK = 'spaces-hook';
const ID_RELAY = 'spaces-relay';

export async function syncContentScripts(): Promise<void> {
  const manifest = browser.runtime.getManifest();
  const declared = new Set<string>(manifest.host_permissions ?? []);
  const granted = ((await browser.permissions.getAll()).origins ?? []).filter((o) => !declared.has(o));
  const scripts = manifest.content_scripts ?? [];
  const hook = scripts.find((s) => (s as { world?: string }).world === 'MAIN')?.js ?? [];
  const relay = scripts.find((s) => (s as { world?: string }).world !== 'MAIN')?.js ?? [];
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [ID_HOOK, ID_RELAY] });
  if (existing.length) await browser.scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
  if (!granted.length || !hook.length || !relay.length) return;
  const common = { matches: granted, runAt: 'document_start' as const, allFrames: true, persistAcrossSessions: true };
  await browser.scripting.registerContentScripts([
    { id: ID_HOOK, js: hook, world: 'MAIN', ...common } as Parameters<typeof browser.scripting.registerContentScripts>[0][number],
    { id: ID_RELAY, js: relay, ...common },
  ]);
}

/** Keeps the granted host patterns in storage.session, where a Firefox DevTools panel (no permissions API) reads them. */
export async function publishGrantedOrigins(): Promise<void> {
  const origins = (await browser.permissions.getAll()).origins ?? [];
  await browser.storage.session.set({ [GRANTED_ORIGINS_KEY]: origins });
}
