// What the numbers were measured on, and how busy the machine was meanwhile (it is shared).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAvg, repoRoot } from './util.mjs';

function tryRun(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    return undefined;
  }
}

function cpuFlags() {
  try {
    const flags = /^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1].split(/\s+/) ?? [];
    return ['avx', 'avx2', 'fma', 'f16c', 'avx512f', 'amx_tile'].filter((f) => flags.includes(f));
  } catch {
    return [];
  }
}

/** Other processes using the CPU right now (top over half a second), e.g. other engineers' test runs. */
export function busiest() {
  const out = tryRun('top', ['-b', '-n', '2', '-d', '0.5', '-o', '%CPU', '-w', '200']);
  if (!out) return undefined;
  const frame = out.split(/^top - /m).at(-1).split('\n');
  const head = frame.findIndex((l) => /^\s*PID\s/.test(l));
  return frame.slice(head + 1)
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c.length >= 12 && Number(c[8]) >= 5 && Number(c[0]) !== process.pid)
    .slice(0, 6)
    .map((c) => `${c[8]}% ${c.slice(11).join(' ')}`);
}

/** How scripts/llama-cpp/build.mjs configured the llama-bench build (the llama.cpp ceiling of figure 1). */
function llamaBenchBuild() {
  try {
    const cache = readFileSync(path.join(repoRoot, '.cache', 'llama.cpp', 'build', 'CMakeCache.txt'), 'utf8');
    const on = (k) => new RegExp(`^${k}:BOOL=ON$`, 'm').test(cache);
    return ['GGML_NATIVE', 'GGML_AVX2', 'GGML_AVX512', 'GGML_OPENMP'].map((k) => `${k}=${on(k) ? 'ON' : 'OFF'}`).join(' ');
  } catch {
    return undefined;
  }
}

export function describeMachine() {
  const osRelease = (() => {
    try {
      return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    } catch {
      return undefined;
    }
  })();
  const pkg = (p) => {
    try {
      return JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', p, 'package.json'), 'utf8')).version;
    } catch {
      return undefined;
    }
  };
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    cpuFlags: cpuFlags(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${osRelease ?? os.type()} (kernel ${os.release()})`,
    node: process.version,
    nodeLlamaCpp: pkg('node-llama-cpp'),
    playwrightCore: pkg('playwright-core'),
    chromium: tryRun('/usr/bin/chromium', ['--version']),
    loadAverageAtStart: loadAvg(),
    busiestOtherProcesses: busiest(),
    llamaBenchBuild: llamaBenchBuild(),
  };
}
