import { readFileSync } from 'node:fs';

/** A process's resident set size, in bytes, as the kernel counts it (Linux: /proc/<pid>/status, VmRSS). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kilobytes === undefined) throw new Error(`no VmRSS in /proc/${pid}/status: is the process still running?`);
  return Number(kilobytes) * 1024;
}
