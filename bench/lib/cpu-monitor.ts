import { procStats } from './memory.js';

/** Clock ticks per second of /proc/<pid>/stat utime/stime (USER_HZ, 100 on Linux). */
const HZ = 100;
const SAMPLE_MS = 500;

export interface CpuMark {
  readonly ours: number;
  readonly others: number;
  readonly at: number;
}

/** CPU use over an interval, in percent of one core (200 = both cores of a 2-core machine). */
export interface CpuUse {
  readonly oursPct: number;
  readonly othersPct: number;
}

/**
 * Attributes the machine's CPU time to this benchmark's process tree or to everything else, by sampling
 * /proc/<pid>/stat twice a second (well under a millisecond per sample). Other sessions running tests on the same
 * machine distort every figure; this says by how much they competed during each measurement.
 */
export class CpuMonitor {
  private last = new Map<number, number>();
  private ours = 0;
  private others = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.sample(false);
    this.timer = setInterval(() => this.sample(true), SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  mark(): CpuMark {
    this.sample(true);
    return { ours: this.ours, others: this.others, at: performance.now() };
  }

  since(mark: CpuMark): CpuUse {
    const now = this.mark();
    const seconds = (now.at - mark.at) / 1000;
    const pct = (ticks: number): number => (seconds > 0 ? (ticks / HZ / seconds) * 100 : 0);
    return { oursPct: pct(now.ours - mark.ours), othersPct: pct(now.others - mark.others) };
  }

  private sample(count: boolean): void {
    const ticks = new Map<number, number>();
    const parent = new Map<number, number>();
    for (const { pid, fields } of procStats()) {
      parent.set(pid, Number(fields[1]));
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    }
    if (count) {
      const mine = (pid: number): boolean => {
        for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; p = parent.get(p), hops++) {
          if (p === process.pid) return true;
        }
        return false;
      };
      for (const [pid, t] of ticks) {
        const delta = t - (this.last.get(pid) ?? 0);
        if (delta <= 0) continue;
        if (mine(pid)) this.ours += delta;
        else this.others += delta;
      }
    }
    this.last = ticks;
  }
}

export const cpuMonitor = new CpuMonitor();
