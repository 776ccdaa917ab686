import { watch } from 'node:fs';
import type { Platform } from '../platform.js';
import { tablesSummary } from './console.js';

const IGNORED = /(^|\/)(\.portico|node_modules|\.git|__pycache__|\.aws-sam)(\/|$)/;

/**
 * Redeploys when the template or any code in the app folder changes. Changes are batched for a moment so that an
 * editor's save (or `git checkout`) redeploys once; a broken template keeps the previous deployment serving.
 */
export function watchApp(appDir: string, platform: Platform): () => void {
  let timer: NodeJS.Timeout | undefined;
  // One redeploy at a time, in order: a slow load of older files must not finish last and win.
  let redeploying = Promise.resolve();
  const redeploy = (): void => {
    redeploying = redeploying.then(() =>
      platform.redeploy().then(
        () => {
          const { created, updated, notices } = platform.tables;
          const lines = [
            'Redeployed.',
            ...(created.length > 0 ? [`Tables       ${tablesSummary(platform)}`] : []),
            ...updated.map((u) => `Table        ${u}`),
            ...notices.map((n) => `Notice: ${n}`),
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
        },
        (error: unknown) => void process.stderr.write(`Not redeployed: ${error instanceof Error ? error.message : String(error)}\n`),
      ),
    );
  };
  let watcher;
  try {
    watcher = watch(appDir, { recursive: true }, (_event, file) => {
      if (file && IGNORED.test(String(file))) return;
      clearTimeout(timer);
      timer = setTimeout(redeploy, 200);
    });
  } catch {
    process.stderr.write('Notice: cannot watch the app folder; changes need a restart.\n');
    return () => undefined;
  }
  watcher.on('error', () => undefined);
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
