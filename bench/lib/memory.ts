import { readdirSync, readFileSync } from 'node:fs';

/** Bytes. USS = Private_Clean + Private_Dirty; PSS splits shared pages among the processes sharing them. */
export interface ProcessMemory {
  readonly pid: number;
  readonly rss: number;
  readonly pss: number;
  readonly uss: number;
}

export interface TreeMemory {
  readonly pids: readonly number[];
  readonly rss: number;
  readonly pss: number;
  readonly uss: number;
  readonly processes: readonly ProcessMemory[];
}

export const MB = 1024 * 1024;

/** Reads /proc/<pid>/smaps_rollup; undefined when the process has gone. */
export function processMemory(pid: number): ProcessMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { pid, rss: kb('Rss'), pss: kb('Pss'), uss: kb('Private_Clean') + kb('Private_Dirty') };
}

/**
 * Every process's `/proc/<pid>/stat` fields after the command name: `pid (comm) state ppid …` — comm may hold spaces
 * and parentheses, so the fields start after the last ')'. fields[0] is the state, [1] the ppid, [11]/[12] utime/stime.
 */
export function procStats(): Array<{ pid: number; fields: string[] }> {
  const stats: Array<{ pid: number; fields: string[] }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    stats.push({ pid: Number(entry), fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') });
  }
  return stats;
}

/**
 * Every descendant of `root` (not `root` itself), found by scanning /proc/<pid>/stat for parent ids: this
 * kernel has no /proc/<pid>/task/<tid>/children.
 */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const { pid, fields } of procStats()) {
    const ppid = Number(fields[1]);
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Memory of `root` and all its descendants, summed. */
export function treeMemory(root: number): TreeMemory {
  const processes = [root, ...descendants(root)].map(processMemory).filter((m): m is ProcessMemory => m !== undefined);
  return {
    pids: processes.map((p) => p.pid),
    rss: processes.reduce((sum, p) => sum + p.rss, 0),
    pss: processes.reduce((sum, p) => sum + p.pss, 0),
    uss: processes.reduce((sum, p) => sum + p.uss, 0),
    processes,
  };
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
