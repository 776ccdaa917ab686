/**
 * Stopping `portico up`: SIGTERM (and SIGINT, Ctrl-C) end it with exit code 0, close the gateway port and leave no
 * environment process behind.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startPortico } from '../helpers/portico.js';
import { childPids, fixture, isRunning, send, waitFor } from './gateway-helpers.js';

function refused(base: string): Promise<boolean> {
  const url = new URL(base);
  return new Promise((done) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(true));
  });
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal}: exit code 0, the gateway closed, no environment process left`, async () => {
    const portico = await startPortico(fixture('gw-mixed'));
    const pid = portico.process.pid!;
    // Environments for two functions, on both APIs.
    for (const path of ['/Prod/ok', '/ok', '/Prod/garbage']) {
      const reply = await send(portico.gateway, path);
      assert.ok(reply.status === 200 || reply.status === 502, `${path}: ${reply.status}`);
    }
    const children = childPids(pid);
    const runtimes = children.filter((child) => commandLine(child).includes('bootstrap'));
    assert.ok(runtimes.length >= 2, `expected the environments of two functions among ${children.map(commandLine).join(' | ')}`);

    const code = await portico.stop(signal);
    assert.equal(code, 0);
    assert.equal(await refused(portico.gateway), true, 'the gateway port still accepts connections');
    await waitFor(() => (children.every((child) => !isRunning(child)) ? true : undefined), 3000, `children ${children.join(', ')} to exit`).catch(
      (error: Error) => {
        const left = children.filter(isRunning).map((child) => `${child}: ${commandLine(child)}`);
        throw new Error(`${error.message}; still running: ${left.join(' | ')}`);
      },
    );
  });
}
