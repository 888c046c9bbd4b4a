// Demo client: connects to /chat like the Spaces web client, runs the plan from #plan, logs as text.
// It defines no globals; when it is finished it sets data-sim-done="1" and data-received on <body>.
(function () {
  'use strict';
  var plan = JSON.parse(document.getElementById('plan').textContent);
  var params = new URLSearchParams(location.search);
  var transport = params.get('transport') === 'polling' ? 'polling' : 'websocket';
  var token = params.get('token') || plan.token;
  var playScenario = params.get('scenario') !== 'none';
  var hostile = params.get('scenario') === 'hostile';
  var secrets = params.get('scenario') === 'secrets';
  var sendsMode = params.get('scenario') === 'sends';
  var people = params.get('scenario') === 'people';
  var echo = Number(params.get('echo')) || 0;
  var loadMode = params.has('rate') || params.has('count') || params.has('size') || params.has('seconds');

  var logEl = document.getElementById('log');
  var statusEl = document.getElementById('status');
  var body = document.body;
  var received = 0; // events received from the server on /chat
  var messages = 0; // of which MESSAGE_SENT

  function time() {
    return new Date().toISOString().slice(11, 23);
  }

  function log(kind, line, payload) {
    var li = document.createElement('li');
    li.className = kind;
    var details = document.createElement('details');
    var summary = document.createElement('summary');
    summary.textContent = time() + '  ' + line;
    details.appendChild(summary);
    if (payload !== undefined) {
      var pre = document.createElement('pre');
      pre.textContent = JSON.stringify(payload, null, 2);
      details.appendChild(pre);
    }
    li.appendChild(details);
    logEl.appendChild(li);
    var nearBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;
    if (nearBottom) li.scrollIntoView({ block: 'end' });
  }

  function status(text) {
    statusEl.textContent = text;
  }

  function publishCounts() {
    body.dataset.received = String(received);
    body.dataset.messages = String(messages);
  }

  // Exact counts as the page goes away (they are otherwise published every 250 ms).
  window.addEventListener('pagehide', publishCounts);

  function finish(text) {
    publishCounts();
    status(text);
    log('note', text);
    body.dataset.simDone = '1';
  }

  function describe(event, p) {
    if (!p || typeof p !== 'object') return event;
    var parts = [event];
    if (p.category) parts.push(p.category);
    if (p.channel && p.channel._id) parts.push('channel ' + p.channel._id);
    var title = (p.content && p.content.title) || p.topicTitle || plan.topicTitles[p.topicId];
    if (title) parts.push('“' + title + '”');
    else if (p.topicId) parts.push('topic ' + p.topicId);
    if (p.content && typeof p.content.status === 'string') parts.push('status ' + p.content.status);
    if (p.content && p.content.title && p.content.status === 1) parts.push('archived');
    if (p.content && Array.isArray(p.content.data)) {
      p.content.data.forEach(function (f) {
        if (f && f.name) parts.push('file ' + f.name + (f.convertStatus !== undefined ? ' convertStatus=' + f.convertStatus : ''));
      });
    }
    if (p.sender && p.sender.displayname && p.sender.type !== 'spaceserver') parts.push('from ' + p.sender.displayname);
    if (p.loopbackMetadata) parts.push('loopback ' + p.loopbackMetadata);
    if (p.error) parts.push('error: ' + p.error);
    return parts.join(' · ');
  }

  var redacted = token.length > 10 ? token.slice(0, 6) + '…' : '…';
  status('connecting to /chat over ' + transport + ' (token ' + redacted + ')…');
  // As the Spaces web client does: the token travels in the connect query.
  var socket = io(location.origin + '/chat', {
    transports: [transport],
    query: { tokenType: 'jwt', token: token },
  });

  var names = ['CHANNEL_SUBSCRIBED', 'SUBSCRIBE_CHANNEL_FAILED', 'CHANNEL_UNSUBSCRIBED', 'MESSAGE_SENT', 'SEND_MESSAGE_FAILED', 'PRESENCE_EVENT_RESPONSE', 'MEDIA_SESSION_RESPONSE'];
  names.forEach(function (name) {
    socket.on(name, function (payload) {
      received += 1;
      if (name === 'MESSAGE_SENT') messages += 1;
      // ?echo=N (a load): the page sends a presence event of its own for every Nth MESSAGE_SENT.
      if (echo && name === 'MESSAGE_SENT' && messages % echo === 0) socket.emit('SEND_PRESENCE_EVENT', { topicId: 'load', category: 'app.event.presence.party.online', n: messages });
      if (loadMode) return; // a client does no more per message than count it here
      if (hostile) payload = '(hostile payload: not shown here)';
      if (secrets) payload = '(secrets corpus: not shown here)';
      log(name === 'SEND_MESSAGE_FAILED' || name === 'SUBSCRIBE_CHANNEL_FAILED' ? 'err' : 'in', '← ' + describe(name, payload), payload);
      publishCounts();
      if (sendsMode && received === plan.sendsAnswers) finish('done: sends scenario answered (' + received + ' events received; some sends are left unanswered on purpose)');
      if (name === 'CHANNEL_UNSUBSCRIBED' && !playScenario) finish('done: plan finished (no scenario), ' + received + ' events received');
    });
  });

  socket.on(plan.events.scenarioDone, function (payload) {
    received += 1;
    log('in', '← ' + plan.events.scenarioDone, payload);
    finish('done: scenario finished, ' + received + ' events received');
  });

  // The secrets corpus (simulator/secrets.ts): the server's half arrives as events the page does not
  // listen to (they are on the wire all the same); the page answers the server's ack request and sends
  // its own half as it is handed over.
  if (secrets) {
    socket.on(plan.events.secretsAsk, function (p, ack) {
      received += 1;
      if (typeof ack === 'function') ack.apply(null, p.args);
    });
    socket.on(plan.events.secretsPlan, function (p) {
      received += 1;
      p.out.forEach(function (e) {
        socket.emit.apply(socket, [e.event].concat(e.args));
      });
      socket.emit('upload', { name: 'body.json' }, new TextEncoder().encode(p.attachment));
      log('out', '→ the page’s half of the secrets corpus (' + (p.out.length + 1) + ' events, not shown here)');
      socket.emit(plan.events.secretsSent, {});
    });
  }

  // The people scenario (simulator/people.ts): the server hands over the page's presence and media sends.
  socket.on(plan.events.peopleSend, function (p) {
    received += 1;
    if (p && typeof p.event === 'string') emit(p.event, p.payload);
  });

  socket.on(plan.events.loadDone, function (payload) {
    received += 1;
    log('in', '← ' + plan.events.loadDone, payload);
    finish('done: load finished, ' + messages + ' MESSAGE_SENT received');
  });

  function emit(event, payload, ack) {
    log('out', '→ ' + describe(event, payload), payload);
    if (ack) socket.emit(event, payload, ack);
    else socket.emit(event, payload);
  }

  function runPlan() {
    plan.subscribe.forEach(function (id) {
      emit('SUBSCRIBE_CHANNEL', { channel: { _id: id, type: 'topic' } });
    });
    plan.sends.forEach(function (send) {
      var payload = {
        content: { bodyText: plan.bodyText, data: [] },
        category: 'chat',
        topicId: send.topicId,
        version: '1.1',
        loopbackMetadata: send.loopbackMetadata,
      };
      emit('SEND_MESSAGE', payload, send.ack ? function (res) {
        log('in', '← ack for ' + send.loopbackMetadata, res);
      } : undefined);
    });
    emit('UNSUBSCRIBE_CHANNEL', { channel: { _id: plan.unsubscribe, type: 'topic' } });
    if (sendsMode) {
      // simulator/sends.ts: normal, k6-style (no loopbackMetadata), refused and never answered sends
      plan.sendsPlan.forEach(function (s) {
        emit('SEND_MESSAGE', s.payload, s.ack ? function (res) {
          log('in', '← ack for ' + s.payload.loopbackMetadata, res);
        } : undefined);
      });
    } else if (hostile) emit(plan.events.hostile, {});
    else if (secrets) socket.emit(plan.events.secrets, {}, function () {
      log('in', '← ack for ' + plan.events.secrets + ' (secrets corpus: not shown here)');
    });
    else if (people) emit(plan.events.people, {});
    else if (playScenario) emit(plan.events.play, {});
  }

  function runLoad() {
    var rate = Number(params.get('rate')) || 100;
    var seconds = Number(params.get('seconds')) || 0;
    var count = Number(params.get('count')) || rate * (seconds || 5);
    var size = Number(params.get('size')) || 512;
    var load = { rate: rate, size: size, mix: params.get('mix') === '1' };
    if (seconds && !params.has('count')) load.seconds = seconds;
    else load.count = count;
    emit(plan.events.load, load);
    var timer = setInterval(function () {
      if (body.dataset.simDone === '1') return clearInterval(timer);
      status('load: ' + messages + ' / ' + count + ' MESSAGE_SENT received');
      publishCounts();
    }, 250);
  }

  var started = false;
  socket.on('connect', function () {
    log('note', 'connected to /chat over ' + transport);
    status('connected over ' + transport);
    if (started) return; // a reconnect does not replay the plan
    started = true;
    if (loadMode) runLoad();
    else runPlan();
  });
  // socket.io 2.x reports a refused namespace connect (middleware error) as "error".
  socket.on('error', function (err) {
    var text = typeof err === 'string' ? err : (err && err.message) || String(err);
    log('err', 'error: ' + text);
    status('refused: ' + text);
    body.dataset.simError = text;
  });
  socket.on('connect_error', function (err) {
    log('err', 'connect_error: ' + (err && err.message ? err.message : String(err)));
  });
  socket.on('disconnect', function (reason) {
    log('note', 'disconnected: ' + reason);
  });
})();
