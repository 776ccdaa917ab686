/**
 * jose, imported on first use: loading it costs ~35 ms of `portico up`'s start, which only apps with JWT or Cognito
 * authorizers need. Once `loadJose()` has resolved, `jose()` gives the module synchronously.
 */
export type Jose = typeof import('jose');

let loaded: Jose | undefined;
let loading: Promise<Jose> | undefined;

export function loadJose(): Promise<Jose> {
  return (loading ??= import('jose').then((module) => (loaded = module)));
}

/** For code that runs after a jose call (classifying its errors): the module is loaded by then. */
export function jose(): Jose {
  if (loaded === undefined) throw new Error('jose is used before loadJose() resolved');
  return loaded;
}
