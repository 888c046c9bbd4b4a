// Capture permission: is the inspected origin allowed, a button to allow it, and "Add origin…".
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CaptureEnv } from '../../sources/env';
import { parseOrigin } from '../../sources/env';
import { useKeepInside } from '../menu';

export interface CaptureState {
  origin: string | null;
  /** null while unknown (checking, or no http(s) page). */
  allowed: boolean | null;
  /** Allowed from this panel: the page must be reloaded to capture. */
  justGranted: boolean;
}

export function useCapture(capture: CaptureEnv | undefined): [CaptureState, (origin: string) => void, () => void] {
  const [state, setState] = useState<CaptureState>({ origin: null, allowed: null, justGranted: false });
  const check = useRef(0);

  const refresh = (): void => {
    if (!capture) return;
    const n = ++check.current;
    capture
      .inspectedOrigin()
      .then(async (origin) => {
        const allowed = origin ? await capture.allowed(origin) : null;
        if (n === check.current) setState({ origin, allowed, justGranted: false });
      })
      .catch(() => {
        if (n === check.current) setState({ origin: null, allowed: null, justGranted: false });
      });
  };

  useEffect(() => {
    refresh();
    return capture?.onNavigated?.(() => refresh());
  }, [capture]);

  // Runs inside the click handler: permissions.request needs the user gesture.
  const request = (origin: string): void => {
    if (!capture) return;
    capture.request(origin).then(
      (ok) => {
        if (ok && origin === state.origin) setState({ origin, allowed: true, justGranted: true });
      },
      () => {},
    );
  };

  return [state, request, refresh];
}

export function CapturePrompt({
  state,
  request,
  reload,
  compact,
}: {
  state: CaptureState;
  request(origin: string): void;
  reload(): void;
  compact: boolean;
}) {
  const { origin } = state;
  if (!origin) return null;
  if (state.justGranted) {
    return (
      <div class={compact ? 'banner' : 'empty-box'} role="status">
        <p>
          <strong>Allowed on {origin}.</strong> Reload the page to start capturing.
        </p>
        <button type="button" class="btn primary" onClick={reload}>
          Reload page
        </button>
      </div>
    );
  }
  if (state.allowed !== false) return null;
  return (
    <div class={compact ? 'banner' : 'empty-box'}>
      <p>
        <strong>Spaces DevTools can't capture on {origin}.</strong> Allow it to read this site's Socket.IO traffic.
      </p>
      <button type="button" class="btn primary" onClick={() => request(origin)}>
        Allow on {origin}
      </button>
    </div>
  );
}

/** The settings popover: allow another origin (e.g. a staging deployment) by typing it. */
export function SettingsPopover({ capture, onClose, onGranted }: { capture: CaptureEnv; onClose(): void; onGranted(): void }) {
  const [text, setText] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  useKeepInside(boxRef);

  useEffect(() => {
    inputRef.current?.focus();
    const outside = (e: MouseEvent): void => {
      const box = boxRef.current;
      if (box && e.target instanceof Node && !box.contains(e.target) && !(e.target as Element).closest?.('.settings-btn')) onClose();
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, []);

  const submit = (e: Event): void => {
    e.preventDefault();
    const origin = parseOrigin(text, { typed: true });
    if (!origin) {
      setMessage('Type an http(s) address, e.g. https://staging.example.com');
      return;
    }
    capture.request(origin).then(
      (ok) => {
        setMessage(ok ? `Allowed on ${origin}. Reload its pages to capture.` : `Not allowed on ${origin}.`);
        if (ok) onGranted();
      },
      () => setMessage(`Could not ask for ${origin}.`),
    );
  };

  return (
    <div
      class="popover"
      role="dialog"
      aria-label="Capture settings"
      ref={boxRef}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <form onSubmit={submit}>
        <label for="add-origin">Add origin…</label>
        <p class="muted">Capture on another site too, e.g. a staging deployment.</p>
        <div class="row-inline">
          <input
            id="add-origin"
            ref={inputRef}
            type="text"
            placeholder="https://staging.example.com"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            spellcheck={false}
            autocomplete="off"
          />
          <button type="submit" class="btn primary">
            Allow
          </button>
        </div>
        {message && (
          <p class="muted" role="status">
            {message}
          </p>
        )}
      </form>
    </div>
  );
}
