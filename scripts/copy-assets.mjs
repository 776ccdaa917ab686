// Copies files that tsc does not emit (the Python runtime client) next to the compiled code.
import { cpSync, mkdirSync } from 'node:fs';

const assets = [['src/functions/runtimes/python', 'dist/src/functions/runtimes/python']];
for (const [from, to] of assets) {
  mkdirSync(to, { recursive: true });
  cpSync(from, to, { recursive: true, filter: (p) => !p.includes('__pycache__') });
}
