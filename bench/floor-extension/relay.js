// Isolated world. ?floor=port: take the hook's batches and drop them unread. send: send them to the
// background with runtime.sendMessage, one message at a time, the next once it is answered, batches that
// came meanwhile merged into it (as the product's relay does). connect: post each batch at once over one
// long-lived runtime Port, the background answering each on it. Not the product's relay: no validation, no
// redaction, no loss accounting; only what crossing to the background costs either way.
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
  let port;
  let acked = 0;
  const take = (batch) => {
    if (step === 'send') {
      queued.push(batch);
      if (!sending) void pump();
    } else if (step === 'connect') {
      if (!port) {
        port = chrome.runtime.connect({ name: 'floor' });
        port.onMessage.addListener((n) => (acked = n));
      }
      port.postMessage(batch);
    }
  };
  window.addEventListener('capture-floor:port', (ev) => {
    if (taken || !ev.ports[0]) return;
    taken = true;
    ev.ports[0].onmessage = (m) => take(m.data);
  });
  window.dispatchEvent(new Event('capture-floor:ready'));
})();
