// Answers every batch at once: a runtime message with its reply, a Port's message with the count so far.
chrome.runtime.onMessage.addListener((_message, _sender, reply) => {
  reply({ ok: true });
});
chrome.runtime.onConnect.addListener((port) => {
  let n = 0;
  port.onMessage.addListener(() => port.postMessage(++n));
});
