import { access, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const SOURCE = /\.(m|c)?js$/;
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.portico', '.aws-sam']);
/** Bounds the scan of an unusually large code folder; past it, Portico assumes the SDK may be needed. */
const MAX_FILES = 2000;

/**
 * Whether a Node function's ES modules may import the AWS SDK that Lambda provides without the app shipping it. Only
 * then does its runtime need the ESM resolve hook (whose loader thread costs ~40 ms and ~8 MB), so this is decided
 * once at deploy time instead of paying that cost on every cold start.
 */
export async function mayImportProvidedSdk(codeDir: string): Promise<boolean> {
  if (await shipsOwnSdk(codeDir)) return false;
  let seen = 0;
  const pending = [codeDir];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) pending.push(join(dir, entry.name));
      } else if (SOURCE.test(entry.name)) {
        if (++seen > MAX_FILES) return true;
        const text = await readFile(join(dir, entry.name), 'utf8').catch(() => '');
        if (text.includes('@aws-sdk/')) return true;
      }
    }
  }
  return false;
}

/** True when node_modules/@aws-sdk exists in the code folder or any folder above it (Node's own lookup). */
async function shipsOwnSdk(codeDir: string): Promise<boolean> {
  for (let dir = codeDir; ; dir = dirname(dir)) {
    const found = await access(join(dir, 'node_modules', '@aws-sdk')).then(
      () => true,
      () => false,
    );
    if (found) return true;
    if (dirname(dir) === dir) return false;
  }
}
