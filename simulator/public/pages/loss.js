// loss.html: each case makes the capture face one way of losing events (issue #17, "No silent loss").
// Everything goes to this page's own origin (loopback), bounded in count and time. No globals.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var which = params.get('case');
  var body = document.body;
  var wsBase = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/plain-ws?EIO=4&transport=websocket';
  var MIB = 1024 * 1024;

  function log(line) {
    var li = document.createElement('li');
    li.textContent = new Date().toISOString().slice(11, 23) + '  ' + line;
    document.getElementById('log').appendChild(li);
  }

  function done(facts) {
    for (var k in facts) body.dataset[k] = String(facts[k]);
    body.dataset.simDone = '1';
    log('done ' + JSON.stringify(facts));
  }

  // A socket to the simulator's echo server whose URL says Engine.IO 4, so the hook captures it.
  function echoSocket(query, onOpen) {
    var ws = new WebSocket(wsBase + query);
    ws.onopen = function () {
      onOpen(ws);
    };
    return ws;
  }

  var cases = {
    // Long-polling requests, each its own Engine.IO session (sid) with an 8 KB URL: each is a connection the
    // background remembers. Six at a time, at most 2,000 of them and 60 seconds.
    polls: function () {
      var n = Math.min(2000, Number(params.get('n')) || 1250);
      var pad = new Array(8001).join('p');
      var started = 0;
      var finished = 0;
      var deadline = Date.now() + 60000;
      function next() {
        if (started >= n || Date.now() > deadline) {
          if (finished === started) done({ polls: finished });
          return;
        }
        var i = ++started;
        var xhr = new XMLHttpRequest();
        xhr.open('GET', '/socket.io/?EIO=4&transport=polling&sid=loss' + i + '&pad=' + pad);
        xhr.onloadend = function () {
          finished++;
          next();
        };
        xhr.send();
      }
      for (var k = 0; k < 6; k++) next();
    },

    // 60 frames, each a Socket.IO client of its own (frame.html): more than the background once tracked.
    frames: function () {
      var n = Math.min(60, Number(params.get('n')) || 60);
      var echoed = {};
      var count = 0;
      window.addEventListener('message', function (e) {
        if (!e.data || typeof e.data.simDone !== 'string' || echoed[e.data.simDone]) return;
        echoed[e.data.simDone] = true;
        if (++count === n) done({ frames: n });
      });
      for (var i = 1; i <= n; i++) {
        var f = document.createElement('iframe');
        f.src = '/pages/frame.html?lb=loss-frame-' + i;
        f.width = '40';
        f.height = '30';
        body.appendChild(f);
      }
    },

    // Three sockets in one batch: a plain one, one with a 9,000-character token (short once redacted) and
    // one whose URL is still over 8,192 characters once redacted. Each sends two frames and gets their echo.
    url: function () {
      var long = new Array(9001).join('q');
      var sockets = [['plain', ''], ['token', '&token=' + long], ['long', '&pad=' + long]];
      var echoes = 0;
      sockets.forEach(function (s) {
        echoSocket(s[1], function (ws) {
          ws.onmessage = function () {
            if (++echoes === 6) done({ sockets: 3 });
          };
          ws.send('40');
          ws.send('42["hello",{"socket":"' + s[0] + '"}]');
        });
      });
    },

    // Twenty small events, then one frame of 10 MB (echoed): its error record must not push the history out.
    big: function () {
      echoSocket('', function (ws) {
        var got = 0;
        ws.onmessage = function () {
          if (++got === 22) done({ small: 20, big: 1 });
        };
        ws.send('40');
        for (var i = 0; i < 20; i++) ws.send('42["small",{"n":' + i + '}]');
        ws.send('42["big","' + new Array(10 * MIB + 1).join('b') + '"]');
      });
    },

    // Nine 8 MiB frames sent in one task (one batch of the hook, over 64 MiB as JSON), then one small frame a
    // second later: everything must arrive, the small one included.
    batch: function () {
      var n = Math.min(9, Number(params.get('n')) || 9);
      echoSocket('', function (ws) {
        var frame = '4' + new Array(8 * MIB).join('x');
        var got = 0;
        ws.onmessage = function (e) {
          if (typeof e.data === 'string' && e.data.indexOf('after') >= 0) done({ big: n, after: 1, echoes: got + 1 });
          else got++;
        };
        for (var i = 0; i < n; i++) ws.send(frame);
        setTimeout(function () {
          ws.send('42["after",{}]');
        }, 1000);
      });
    },
  };

  if (cases[which]) {
    log('case ' + which);
    cases[which]();
  } else log('no such case: ' + which);
})();
