// What every baseline server process does around its handler: listen on an ephemeral port of loopback, print the
// URL the harness waits for, and exit cleanly on SIGTERM.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export function serveUntilTerminated(server: Server): void {
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`Listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
