// First script of replaced.html: the page puts its own WebSocket in place before any client takes it, as
// analytics and logging libraries do. ?kind=subclass: a class extending WebSocket; ?kind=function: a plain
// wrapper function. Either way it tallies what it sees on <html>: data-wrapper-out (frames sent) and
// data-wrapper-in (frames received), and data-wrapper-events, the Socket.IO event names in order.
(function () {
  'use strict';
  var Native = window.WebSocket;
  var root = document.documentElement;
  var seen = { in: 0, out: 0, events: [] };
  function note(dir, data) {
    seen[dir] += 1;
    var m = typeof data === 'string' ? /^\d+(?:\/[^,]*,)?\d*\["([^"]+)"/.exec(data.replace(/^4/, '')) : null;
    if (m) seen.events.push((dir === 'out' ? '↑' : '↓') + m[1]);
    root.dataset.wrapperIn = String(seen.in);
    root.dataset.wrapperOut = String(seen.out);
    root.dataset.wrapperEvents = seen.events.join(' ');
  }
  function watch(ws) {
    ws.addEventListener('message', function (e) {
      note('in', e.data);
    });
    return ws;
  }
  var kind = new URLSearchParams(location.search).get('kind');
  if (kind === 'function') {
    var Wrapper = function WebSocket(url, protocols) {
      var ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
      var send = ws.send;
      ws.send = function (data) {
        note('out', data);
        return send.call(ws, data);
      };
      return watch(ws);
    };
    Wrapper.prototype = Native.prototype;
    ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(function (k) {
      Wrapper[k] = Native[k];
    });
    window.WebSocket = Wrapper;
  } else {
    window.WebSocket = class LoggedWebSocket extends Native {
      constructor(url, protocols) {
        super(url, protocols);
        watch(this);
      }
      send(data) {
        note('out', data);
        return super.send(data);
      }
    };
  }
  root.dataset.wrapper = kind === 'function' ? 'function' : 'subclass';
})();
