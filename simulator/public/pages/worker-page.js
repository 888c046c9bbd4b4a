(function () {
  'use strict';
  var worker = new Worker('/pages/worker.js?lb=in-worker');
  worker.onmessage = function (e) {
    if (!e.data || typeof e.data.simDone !== 'string') return;
    var li = document.createElement('li');
    li.textContent = 'the worker got its echo: ' + e.data.echoes;
    document.getElementById('log').appendChild(li);
    document.body.dataset.echoes = e.data.echoes;
    document.body.dataset.simDone = '1';
  };
})();
