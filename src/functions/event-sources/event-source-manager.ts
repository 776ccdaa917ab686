// The running event source mappings of the current deployment: a redeploy keeps the pollers of unchanged mappings,
// stops the ones removed or changed (after their batch in flight) and starts the new ones. Changes apply one at a
// time, so two pollers never share a mapping's position.
import type { EventSourceMappingSpec } from '../../app/model.js';
import type { Invoker } from './invoker.js';
import { StreamPoller, type PollerOptions } from './stream-poller.js';
import type { StreamSource } from './stream-source.js';

export class EventSourceManager {
  private readonly pollers = new Map<string, { config: string; poller: StreamPoller }>();
  private applying: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: StreamSource,
    private readonly invoke: Invoker,
    private readonly options: PollerOptions,
  ) {}

  /** Makes the running mappings those of `mappings` (disabled ones stop). */
  sync(mappings: readonly EventSourceMappingSpec[]): Promise<void> {
    this.applying = this.applying.then(() => this.apply(mappings));
    return this.applying;
  }

  /** Stops every poller, waiting at most `graceMs` for batches in flight. */
  async close(graceMs = 2_000): Promise<void> {
    await this.applying;
    const running = [...this.pollers.values()];
    this.pollers.clear();
    await Promise.all(running.map(({ poller }) => poller.stop(graceMs)));
  }

  private async apply(mappings: readonly EventSourceMappingSpec[]): Promise<void> {
    const wanted = new Map(mappings.filter((m) => m.enabled).map((m) => [m.id, m]));
    for (const [id, running] of this.pollers) {
      const next = wanted.get(id);
      if (next && JSON.stringify(next) === running.config) continue;
      this.pollers.delete(id);
      await running.poller.stop();
    }
    for (const [id, spec] of wanted) {
      if (this.pollers.has(id)) continue;
      let poller: StreamPoller;
      try {
        poller = new StreamPoller(spec, this.source, this.invoke, this.options);
      } catch (err) {
        this.options.log(spec.functionName, `Event source mapping ${spec.logicalId} not started: ${err instanceof Error ? err.message : String(err)}\n`);
        continue;
      }
      this.pollers.set(id, { config: JSON.stringify(spec), poller });
      poller.start();
    }
  }
}
