// A small Socket.IO client for the "pages that fight the hook" (simulator/public/pages): connects to /chat
// with its own Manager, subscribes, sends one message and waits for its echo. Runs in a page, a frame or a
// worker (importScripts). Settings come from the query of the page (or of the worker's script URL):
//   lb=<loopbackMetadata>  transport=websocket|polling  sockets=<n> (several Managers at once, lb-1…lb-n)
// On bfcache.html the sockets stay open; pagehide closes them (so the page may enter the back/forward
// cache) and a restore from it (pageshow, persisted) opens a new one, lb-back<n>, which sends its own message;
// with open=1 pagehide leaves them open.
// Done: in a page it sets data-sim-done="1" and data-echoes on <body>; in a frame it also tells its parent
// with postMessage({ simDone: lb }); in a worker it posts { simDone: lb, echoes } to the page. No globals.
// data-wire on <body>: per socket (by name), its Socket.IO events ("↑NAME", "↓NAME") in the order its engine
// put them on the wire and took them off (where the hook sees them too).
(function () {
  'use strict';
  var TOKEN = '{{TOKEN}}';
  var TOPIC = '{{TOPIC}}';
  var inWorker = typeof document === 'undefined';
  var params = new URLSearchParams(location.search);
  var lb = params.get('lb') || 'pages';
  var transport = params.get('transport') === 'polling' ? 'polling' : 'websocket';
  var count = Math.max(1, Math.min(8, Number(params.get('sockets')) || 1));
  var keep = !inWorker && /\/bfcache\.html$/.test(location.pathname);
  var open = [];
  var restores = 0;
  var echoes = [];
  var wire = {};

  function log(line) {
    if (inWorker) return;
    var list = document.getElementById('log');
    if (!list) return;
    var li = document.createElement('li');
    li.textContent = new Date().toISOString().slice(11, 23) + '  ' + line;
    list.appendChild(li);
  }

  function finished() {
    var text = echoes.slice().sort().join(' ');
    if (inWorker) {
      self.postMessage({ simDone: lb, echoes: text });
      return;
    }
    document.body.dataset.echoes = text;
    document.body.dataset.wire = JSON.stringify(wire);
    document.body.dataset.restores = String(restores);
    document.body.dataset.simDone = '1';
    document.dispatchEvent(new Event('sim-done'));
    if (window.parent !== window) window.parent.postMessage({ simDone: lb, echoes: text }, '*');
  }

  // An EVENT packet's name ('2/chat,0["NAME",…]'), or null.
  function eventName(data) {
    var m = typeof data === 'string' ? /^[25](?:\d+-)?(?:\/[^,]*,)?\d*\["([^"]+)"/.exec(data) : null;
    return m ? m[1] : null;
  }

  // Engine.IO 3.x: 'flush' follows the transport's send of writeBuffer's first prevBufferLen packets;
  // 'packet' comes for each packet received, before the client handles it.
  function watchWire(socket, name) {
    var seen = (wire[name] = []);
    socket.io.on('open', function () {
      var engine = socket.io.engine;
      engine.on('flush', function () {
        engine.writeBuffer.slice(0, engine.prevBufferLen).forEach(function (p) {
          if (p.type === 'message' && eventName(p.data)) seen.push('↑' + eventName(p.data));
        });
      });
      engine.on('packet', function (p) {
        if (p.type === 'message' && eventName(p.data)) seen.push('↓' + eventName(p.data));
      });
    });
  }

  function connect(name, kind) {
    // forceNew: a Manager (and a socket on the wire) of its own, as separate bundles on one page would have.
    var socket = io(location.origin + '/chat', { forceNew: true, transports: [kind], query: { tokenType: 'jwt', token: TOKEN } });
    if (!inWorker) watchWire(socket, name);
    socket.on('connect', function () {
      log(name + ': connected over ' + kind);
      socket.emit('SUBSCRIBE_CHANNEL', { channel: { _id: TOPIC, type: 'topic' } });
      socket.emit('SEND_MESSAGE', { content: { bodyText: '<p>hello from ' + name + '</p>', data: [] }, category: 'chat', topicId: TOPIC, version: '1.1', loopbackMetadata: name });
    });
    socket.on('MESSAGE_SENT', function (msg) {
      if (!msg || msg.loopbackMetadata !== name) return;
      log(name + ': echo received');
      echoes.push(name);
      if (!keep) socket.close();
      if (echoes.length === count + restores) finished();
    });
    socket.on('error', function (err) {
      log(name + ': error ' + String(err));
    });
    if (keep) open.push(socket);
  }

  if (keep) {
    window.addEventListener('pagehide', function () {
      if (params.get('open') === '1') return;
      log('pagehide: closing ' + open.length + ' socket(s)');
      open.splice(0).forEach(function (s) { s.close(); });
    });
    window.addEventListener('pageshow', function (e) {
      if (!e.persisted) return;
      restores += 1;
      document.body.dataset.simDone = '0';
      log('restored from the back/forward cache');
      connect(lb + '-back' + restores, transport);
    });
  }

  for (var i = 1; i <= count; i++) {
    // With several sockets, every other one long-polls: both transports side by side.
    connect(count === 1 ? lb : lb + '-' + i, count > 1 && i % 2 === 0 ? 'polling' : transport);
  }
})();
