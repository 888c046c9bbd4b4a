// Page world. ?floor=listen: keep every frame of every WebSocket (pushed on an array, let go every 40 ms);
// port: also post each 40 ms batch over a MessagePort to the relay; send, connect: the same (the relay sends it on).
(() => {
  const step = new URLSearchParams(location.search).get('floor');
  if (!step) return;
  const Native = window.WebSocket;
  let frames = [];
  let timer = false;
  let port;
  const flush = () => {
    timer = false;
    const batch = frames;
    frames = [];
    if (step !== 'listen' && port) port.postMessage(batch);
  };
  window.WebSocket = new Proxy(Native, {
    construct(target, args, newTarget) {
      const ws = Reflect.construct(target, args, newTarget);
      ws.addEventListener('message', (ev) => {
        frames.push(ev.data);
        if (!timer) {
          timer = true;
          setTimeout(flush, 40);
        }
      });
      return ws;
    },
  });
  const channel = new MessageChannel();
  port = channel.port1;
  const hand = () => window.dispatchEvent(new MessageEvent('capture-floor:port', { ports: [channel.port2] }));
  window.addEventListener('capture-floor:ready', hand);
  hand();
})();
