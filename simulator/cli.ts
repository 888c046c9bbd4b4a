// npm run sim -- [--gen 2|4] [--port N] [--token T] [--quiet]
import { startSimulator, type Generation } from './server';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run sim -- [--gen 2|4] [--port N] [--token T] [--quiet]`);
  process.exit(2);
}

function parseArgs(argv: string[]): { generation: Generation; port: number; token?: string; quiet: boolean } {
  let generation: Generation = 2;
  let port = 8080;
  let token: string | undefined;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => argv[++i] ?? usage(`${arg} needs a value`);
    if (arg === '--gen') {
      const g = value();
      if (g !== '2' && g !== '4') usage(`--gen must be 2 or 4, not ${g}`);
      generation = g === '2' ? 2 : 4;
    } else if (arg === '--port') {
      port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) usage('--port must be 0..65535');
    } else if (arg === '--token') {
      token = value();
    } else if (arg === '--quiet') {
      quiet = true;
    } else {
      usage(`unknown argument ${arg}`);
    }
  }
  return { generation, port, token, quiet };
}

const args = parseArgs(process.argv.slice(2));
const sim = await startSimulator({ generation: args.generation, port: args.port, token: args.token, quiet: args.quiet });
const wire = sim.generation === 2 ? 'socket.io 2.5.1 (Engine.IO 3)' : 'socket.io 4.8.4 (allowEIO3)';
console.log(`Spaces simulator, ${wire}, on ${sim.origin}
  demo (WebSocket):     ${sim.origin}/?transport=websocket
  demo (long-polling):  ${sim.origin}/?transport=polling
  no scenario:          ${sim.origin}/?scenario=none
  load (200/s, 1000):   ${sim.origin}/?rate=200&count=1000&size=512
  plain WebSocket page: ${sim.origin}/plain.html
  early WebSocket page: ${sim.origin}/early.html
Ctrl+C to stop.`);

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
