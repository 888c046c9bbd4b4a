// Isolated world. ?floor=port: take the hook's batches and drop them unread. send: send them to the
// background as the product's relay does: one message at a time, the next once it is answered, batches
// that came meanwhile merged into it.
(() => {
  const step = new URLSearchParams(location.search).get('floor');
  if (!step) return;
  let taken = false;
  let queued = [];
  let sending = false;
  const pump = async () => {
    sending = true;
    while (queued.length > 0) {
      const frames = queued.flat();
      queued = [];
      await chrome.runtime.sendMessage(frames).catch(() => undefined);
    }
    sending = false;
  };
  window.addEventListener('capture-floor:port', (ev) => {
    if (taken || !ev.ports[0]) return;
    taken = true;
    ev.ports[0].onmessage = (m) => {
      if (step !== 'send') return;
      queued.push(m.data);
      if (!sending) void pump();
    };
  });
  window.dispatchEvent(new Event('capture-floor:ready'));
})();
