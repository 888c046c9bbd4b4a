// A dedicated worker with the Socket.IO client in it (query as client.js reads it).
importScripts('/socket.io-client.js', '/pages/client.js');
