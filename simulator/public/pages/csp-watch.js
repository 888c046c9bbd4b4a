// First script of csp.html (served with a strict CSP and Trusted Types): records every
// securitypolicyviolation the page sees on <html> as data-csp-violations (JSON). Once the client is done
// it commits one violation on purpose (eval, which script-src forbids) and sets data-sentinel="1": the
// report of that one proves reports get through, and any other is someone else's.
(function () {
  'use strict';
  var seen = [];
  var root = document.documentElement;
  root.dataset.cspViolations = '[]';
  document.addEventListener('securitypolicyviolation', function (e) {
    seen.push({ directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile });
    root.dataset.cspViolations = JSON.stringify(seen);
  });
  document.addEventListener('sim-done', function () {
    try {
      (0, eval)('1');
    } catch (err) {
      /* expected: blocked */
    }
    root.dataset.sentinel = '1';
  });
})();
