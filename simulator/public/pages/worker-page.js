// worker.html: starts a dedicated Worker whose Socket.IO client the page can't see into. With ?page=1 the
// page runs a client of its own beside it. Sets data-worker-done="1" and data-worker-echoes when the
// worker got its echo, and data-sim-done="1" once every client is done.
(function () {
  'use strict';
  var withPage = new URLSearchParams(location.search).get('page') === '1';
  var worker = new Worker('/pages/worker.js?lb=in-worker');
  worker.onmessage = function (e) {
    if (!e.data || typeof e.data.simDone !== 'string') return;
    var li = document.createElement('li');
    li.textContent = 'the worker got its echo: ' + e.data.echoes;
    document.getElementById('log').appendChild(li);
    document.body.dataset.workerEchoes = e.data.echoes;
    document.body.dataset.workerDone = '1';
    if (!withPage) document.body.dataset.simDone = '1';
  };
  if (withPage) {
    var client = document.createElement('script');
    client.src = '/socket.io-client.js';
    client.onload = function () {
      var s = document.createElement('script');
      s.src = '/pages/client.js';
      document.body.appendChild(s);
    };
    document.body.appendChild(client);
  }
})();
