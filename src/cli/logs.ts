import { open, stat } from 'node:fs/promises';
import { watch } from 'node:fs';
import { resolve } from 'node:path';
import { loadSamApp } from '../app/sam/load.js';
import { logGroupFile } from '../observability/log-store.js';

/** `portico logs <function> [--follow]`: prints the function's log group, oldest first. */
export async function runLogs(fnArg: string, options: { appDir: string; dataDir?: string; follow?: boolean }): Promise<void> {
  const appDir = resolve(options.appDir);
  const dataDir = resolve(options.dataDir ?? resolve(appDir, '.portico'));
  const name = await functionName(appDir, fnArg);
  const file = logGroupFile(resolve(dataDir, 'logs'), `/aws/lambda/${name}`);
  let offset = await printFrom(file, 0, true);
  if (!options.follow) return;
  let reading = Promise.resolve();
  const again = (): void => {
    reading = reading
      .then(async () => {
        offset = await printFrom(file, offset, false);
      })
      // A read that fails (the file replaced under us) is retried on the next change or tick.
      .catch(() => undefined);
  };
  try {
    const watcher = watch(resolve(file, '..'), (_event, changed) => {
      if (changed && file.endsWith(String(changed))) again();
    });
    watcher.on('error', () => undefined);
  } catch {
    // No log folder yet (the function never ran): the poll below picks the file up once it appears.
  }
  setInterval(again, 1000);
}

/** Accepts a logical id (`HelloFunction`) as well as the physical function name. */
async function functionName(appDir: string, fnArg: string): Promise<string> {
  try {
    const app = await loadSamApp(appDir, {});
    const fn = app.functions.find((f) => f.logicalId === fnArg || f.name === fnArg);
    if (fn) return fn.name;
  } catch {
    // No loadable template here: take the argument as the function name.
  }
  return fnArg;
}

/** Prints complete lines from `offset` on and returns the offset after the last complete line. */
async function printFrom(file: string, offset: number, complainIfMissing: boolean): Promise<number> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    if (complainIfMissing) process.stderr.write(`No logs yet (${file}).\n`);
    return offset;
  }
  if (size <= offset) return size < offset ? 0 : offset;
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    const text = buffer.toString('utf8');
    const end = text.lastIndexOf('\n') + 1;
    for (const line of text.slice(0, end).split('\n')) {
      if (!line) continue;
      try {
        const event = JSON.parse(line) as { message?: string };
        process.stdout.write(event.message ?? '');
      } catch {
        // A torn line from a crash: skip it.
      }
    }
    return offset + Buffer.byteLength(text.slice(0, end));
  } finally {
    await handle.close();
  }
}
