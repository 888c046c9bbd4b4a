// A production Spaces host name (spaces.avayacloud.com) in front of a local simulator: a TLS proxy with a
// throw-away self-signed certificate (made by openssl for this run) that passes every byte to the
// simulator. The browser maps the name to 127.0.0.1 (Chromium --host-resolver-rules, Firefox
// network.dns.localDomains) and takes the certificate (the tests' browsers accept insecure certificates):
// the page is then https://spaces.avayacloud.com:<port>/, which the extension's manifest covers as it does
// for every user (host permissions ignore the port).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';

export const PRODUCTION_HOST = 'spaces.avayacloud.com';

export interface ProductionFront {
  /** https://spaces.avayacloud.com:<port> */
  origin: string;
  close(): Promise<void>;
}

export async function productionFront(simPort: number): Promise<ProductionFront> {
  const dir = mkdtempSync(join(tmpdir(), 'spaces-e2e-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', `/CN=${PRODUCTION_HOST}`, '-addext', `subjectAltName=DNS:${PRODUCTION_HOST}`,
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    const key = readFileSync(join(dir, 'key.pem'));
    const cert = readFileSync(join(dir, 'cert.pem'));
    const open = new Set<Socket>();
    const pipe = (client: Socket): void => {
      const up = connect(simPort, '127.0.0.1');
      for (const s of [client, up]) {
        open.add(s);
        s.on('close', () => open.delete(s));
        s.on('error', () => (client.destroy(), up.destroy()));
      }
      client.pipe(up).pipe(client);
    };
    const servers: Server[] = [];
    const listen = (host: string, port: number): Promise<number> =>
      new Promise((res, rej) => {
        const srv = createServer({ key, cert }, pipe);
        srv.once('error', rej);
        srv.listen(port, host, () => {
          servers.push(srv);
          const a = srv.address();
          res(typeof a === 'object' && a ? a.port : 0);
        });
      });
    const port = await listen('127.0.0.1', 0);
    // Firefox may try the name's IPv6 loopback first: the same port there, where the machine has one.
    await listen('::1', port).catch(() => undefined);
    return {
      origin: `https://${PRODUCTION_HOST}:${port}`,
      close: async () => {
        for (const s of open) s.destroy();
        await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
