// frames.html: its own client (loaded after the frames), a same-origin frame and a cross-origin one.
(function () {
  'use strict';
  var other = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  var frames = [
    '/pages/frame.html?lb=frame-same',
    location.protocol + '//' + other + ':' + location.port + '/pages/frame.html?lb=frame-cross',
  ];
  var want = ['frame-cross', 'frame-same', 'frames-top'];
  var done = [];
  function check() {
    if (want.every(function (lb) { return done.indexOf(lb) >= 0; })) {
      document.body.dataset.frameEchoes = done.slice().sort().join(' ');
      document.body.dataset.framesDone = '1';
    }
  }
  window.addEventListener('message', function (e) {
    if (e.data && typeof e.data.simDone === 'string' && done.indexOf(e.data.simDone) < 0) {
      done.push(e.data.simDone);
      check();
    }
  });
  document.addEventListener('sim-done', function () {
    done.push('frames-top');
    check();
  });
  frames.forEach(function (src) {
    var f = document.createElement('iframe');
    f.src = src;
    document.body.appendChild(f);
  });
  var client = document.createElement('script');
  client.src = '/socket.io-client.js';
  client.onload = function () {
    var s = document.createElement('script');
    s.src = '/pages/client.js';
    document.body.appendChild(s);
  };
  document.body.appendChild(client);
})();
