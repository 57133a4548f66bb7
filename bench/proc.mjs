/**
 * Local process and disk figures, read from Linux /proc: which process listens on a TCP port
 * (/proc/net/tcp inode, then the /proc/<pid>/fd link to that socket), its CPU seconds
 * (utime + stime of /proc/<pid>/stat) and resident memory (VmRSS, VmHWM of /proc/<pid>/status),
 * sampled every 200 ms; and the bytes under a data directory. For `wrangler dev` the listener is a
 * workerd process beside other workerd processes of the same parent; all of those are counted.
 * Anything unreadable (another user's process, a container) yields null rather than an error.
 */
import { readFileSync, readdirSync, readlinkSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

let clockTicks = 100;
try {
  clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  clockTicks = 100;
}

/** @param {string} path @returns {string | null} */
function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** @returns {number[]} */
function allPids() {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

/** @param {number} pid @returns {{ comm: string, ppid: number, cpuMs: number } | null} */
export function procStat(pid) {
  const s = read(`/proc/${pid}/stat`);
  if (!s) return null;
  const close = s.lastIndexOf(')');
  const comm = s.slice(s.indexOf('(') + 1, close);
  const f = s.slice(close + 2).split(' ');
  return { comm, ppid: Number(f[1]), cpuMs: ((Number(f[11]) + Number(f[12])) * 1000) / clockTicks };
}

/** @param {number} pid @returns {{ rssKB: number, hwmKB: number } | null} */
export function procMemory(pid) {
  const s = read(`/proc/${pid}/status`);
  if (!s) return null;
  const rss = /VmRSS:\s+(\d+)/.exec(s);
  const hwm = /VmHWM:\s+(\d+)/.exec(s);
  return { rssKB: rss ? Number(rss[1]) : 0, hwmKB: hwm ? Number(hwm[1]) : 0 };
}

/**
 * Socket inodes listening on a local TCP port, from /proc/net/tcp and tcp6 text.
 * @param {string} text contents of /proc/net/tcp or /proc/net/tcp6 @param {number} port
 * @returns {string[]}
 */
export function listeningInodes(text, port) {
  /** @type {string[]} */
  const out = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const localPort = parseInt(f[1].split(':')[1] ?? '', 16);
    if (localPort === port && f[3] === '0A' && f[9] !== '0') out.push(f[9]);
  }
  return out;
}

/** @param {number} port @returns {number | null} pid owning a listening socket on the port */
export function findListener(port) {
  const inodes = new Set([...listeningInodes(read('/proc/net/tcp') ?? '', port), ...listeningInodes(read('/proc/net/tcp6') ?? '', port)]);
  if (inodes.size === 0) return null;
  for (const pid of allPids()) {
    let fds;
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1])) return pid;
      } catch {
        // fd closed meanwhile
      }
    }
  }
  return null;
}

/**
 * The processes that make up the server behind a listener: the listener and its descendants;
 * when the listener is workerd, also every workerd under the same parent (wrangler dev runs the
 * proxy and the worker in separate workerd processes).
 * @param {number} listener @returns {number[]}
 */
export function serverGroup(listener) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  /** @type {Map<number, string>} */
  const comms = new Map();
  for (const pid of allPids()) {
    const st = procStat(pid);
    if (!st) continue;
    comms.set(pid, st.comm);
    const list = children.get(st.ppid) ?? [];
    list.push(pid);
    children.set(st.ppid, list);
  }
  /** @param {number} root @returns {number[]} */
  const descendants = (root) => {
    const out = [];
    const stack = [...(children.get(root) ?? [])];
    while (stack.length) {
      const p = /** @type {number} */ (stack.pop());
      out.push(p);
      stack.push(...(children.get(p) ?? []));
    }
    return out;
  };
  const group = new Set([listener, ...descendants(listener)]);
  const st = procStat(listener);
  if (st && st.comm === 'workerd') {
    for (const p of descendants(st.ppid)) if (comms.get(p) === 'workerd') group.add(p);
  }
  return [...group].sort((a, b) => a - b);
}

/**
 * Samples CPU and memory of a set of processes every `intervalMs`, with phases. With `refresh`,
 * the set is looked up again every second, so a server process restarted mid-run (wrangler dev
 * reloads on file changes) keeps being counted; an exited process keeps its last CPU figure.
 * @param {number[]} initial @param {(() => number[] | null) | null} [refresh] @param {number} [intervalMs]
 */
export function createSampler(initial, refresh = null, intervalMs = 200) {
  let pids = initial;
  /** @type {Set<number>} */
  const seen = new Set(initial);
  let ticks = 0;
  /** @type {Map<number, number>} last CPU ms seen per pid (kept after a pid exits) */
  const cpu = new Map();
  /** @type {Map<number, number>} */
  const hwm = new Map();
  let peakRssKB = 0;
  /** @type {Set<{ peakKB: number }>} open phases */
  const active = new Set();
  const sample = () => {
    if (refresh && ++ticks % 5 === 0) {
      const now = refresh();
      if (now && now.length) {
        pids = now;
        for (const p of now) seen.add(p);
      }
    }
    let rss = 0;
    for (const pid of pids) {
      const st = procStat(pid);
      if (st) cpu.set(pid, st.cpuMs);
      const m = procMemory(pid);
      if (m) {
        rss += m.rssKB;
        hwm.set(pid, Math.max(hwm.get(pid) ?? 0, m.hwmKB));
      }
    }
    peakRssKB = Math.max(peakRssKB, rss);
    for (const ph of active) ph.peakKB = Math.max(ph.peakKB, rss);
    return rss;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    /** @returns {number[]} every process measured so far */
    get pids() {
      return [...seen];
    },
    /** @returns {string[]} `pid:name` of the processes measured now */
    get comms() {
      return pids.map((p) => `${p}:${procStat(p)?.comm ?? 'exited'}`);
    },
    /** @returns {{ cpuMs: number, rssKB: number }} totals now */
    snapshot() {
      const rssKB = sample();
      let cpuMs = 0;
      for (const v of cpu.values()) cpuMs += v;
      return { cpuMs, rssKB };
    },
    /** Starts a phase; returns a function ending it with its CPU ms and peak summed RSS. */
    phase() {
      const start = this.snapshot();
      const ph = { peakKB: start.rssKB };
      active.add(ph);
      return () => {
        const end = this.snapshot();
        active.delete(ph);
        return { cpuMs: end.cpuMs - start.cpuMs, peakRssMB: ph.peakKB / 1024, rssMB: end.rssKB / 1024 };
      };
    },
    /**
     * Over the whole run: the largest sampled sum of RSS, and the largest VmHWM of one process
     * (processes that did not live at the same time are not added up).
     * @returns {{ peakRssMB: number, vmHwmMB: number }}
     */
    peaks() {
      let h = 0;
      for (const v of hwm.values()) h = Math.max(h, v);
      return { peakRssMB: peakRssKB / 1024, vmHwmMB: h / 1024 };
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** @param {string} dir @returns {{ bytes: number, files: number } | null} apparent size of all files */
export function du(dir) {
  let bytes = 0;
  let files = 0;
  /** @param {string} d */
  const walk = (d) => {
    let names;
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      let st;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        bytes += st.size;
        files++;
      }
    }
  };
  try {
    if (!lstatSync(dir).isDirectory()) return null;
  } catch {
    return null;
  }
  walk(dir);
  return { bytes, files };
}
