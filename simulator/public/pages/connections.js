// The connection-life page (connections.html): one socket that subscribes, then makes the server stop
// (a reconnect follows), or stop its heartbeat (a ping timeout), and may skip the re-subscription.
// Done: data-sim-done="1" on <body> once the socket is connected again and its message echoed; data-connects,
// data-disconnects (reasons), data-failed (a refused subscription's reason). No globals.
(function () {
  'use strict';
  var TOKEN = '{{TOKEN}}';
  var TOPICS = JSON.parse('{{TOPICS}}');
  var UNKNOWN = '{{UNKNOWN}}';
  var params = new URLSearchParams(location.search);
  var client = params.get('client') === '4' ? '4' : '2';
  var transport = params.get('transport') || 'websocket';
  var stopMs = Number(params.get('stop')) || 0;
  var pingTimeout = params.get('ping') === '1';
  var resub = params.get('resub') !== '0';
  var refuse = params.get('refuse') === '1';
  var connects = 0;
  var disconnects = [];
  var body = document.body;

  function log(line) {
    var li = document.createElement('li');
    li.textContent = new Date().toISOString().slice(11, 23) + '  ' + line;
    document.getElementById('log').appendChild(li);
  }

  function start() {
    var transports = transport === 'polling' ? ['polling'] : transport === 'upgrade' ? ['polling', 'websocket'] : ['websocket'];
    var socket = window.io(location.origin + '/chat', {
      transports: transports,
      query: { tokenType: 'jwt', token: TOKEN },
      reconnectionDelay: 300,
      reconnectionDelayMax: 1000,
    });
    var lost = stopMs > 0 || pingTimeout;
    socket.on('connect', function () {
      connects += 1;
      body.dataset.connects = String(connects);
      log('connected (' + connects + ')');
      if (connects === 1 || resub) {
        socket.emit('SUBSCRIBE_CHANNEL', { channel: { _id: TOPICS[0], type: 'topic' } });
        if (refuse && connects === 1) socket.emit('SUBSCRIBE_CHANNEL', { channel: { _id: UNKNOWN, type: 'topic' } });
      }
      if (connects === 1 && lost) return;
      // Connected for good: one message to the topic, done on its echo.
      socket.emit('SEND_MESSAGE', { topicId: TOPICS[0], category: 'chat', content: { bodyText: '<p>after ' + connects + '</p>', data: [] }, loopbackMetadata: 'conn-' + connects });
    });
    socket.on('CHANNEL_SUBSCRIBED', function () {
      log('subscribed');
      if (connects !== 1) return;
      if (stopMs > 0) socket.emit('SIM_STOP', { ms: stopMs });
      else if (pingTimeout) socket.emit('SIM_PING_TIMEOUT', {});
    });
    socket.on('SUBSCRIBE_CHANNEL_FAILED', function (p) {
      body.dataset.failed = p && typeof p.error === 'string' ? p.error : '?';
      log('subscription refused: ' + body.dataset.failed);
    });
    socket.on('disconnect', function (reason) {
      disconnects.push(String(reason));
      body.dataset.disconnects = disconnects.join(',');
      log('disconnected: ' + reason);
    });
    socket.on('MESSAGE_SENT', function (m) {
      log('echo ' + (m && m.loopbackMetadata));
      body.dataset.simDone = '1';
    });
  }

  var s = document.createElement('script');
  s.src = client === '4' ? '/socket.io/socket.io.js' : '/socket.io-client.js';
  s.onload = start;
  document.head.appendChild(s);
})();
