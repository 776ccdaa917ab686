// Measurement 9's peer: dynalite 4 (a DynamoDB emulator on LevelDB, here its in-memory MemoryLevel store) in its own
// process, tables ACTIVE at once. Its CLI treats `--port 0` as "the default port", hence this wrapper. Prints
// `Listening http://127.0.0.1:<port>`.
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`Listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
