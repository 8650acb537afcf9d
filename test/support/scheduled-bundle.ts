/**
 * A scheduled function's bundle (the canary's, the reconciliation's) run once in a fresh Node process,
 * as Lambda runs it on its schedule (invoke-bundle.ts), with only the environment given: its exit code,
 * its JSON lines (log records and EMF documents, from stdout and stderr) and its result.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface ScheduledRun {
  readonly code: number;
  /** Every JSON line it wrote: Powertools writes INFO to stdout, WARN and ERROR to stderr. */
  readonly lines: Record<string, unknown>[];
  readonly stderr: string;
  /** What the handler returned, when it did not throw. */
  readonly result?: Record<string, unknown>;
}

export async function runScheduledBundle(bundle: string, env: Record<string, string>): Promise<ScheduledRun> {
  const child = execFile(process.execPath, [join(import.meta.dirname, 'invoke-bundle.ts'), bundle], {
    env: { PATH: process.env.PATH, AWS_LAMBDA_FUNCTION_NAME: 'scheduled-bundle-test', POWERTOOLS_TRACE_ENABLED: 'false', ...env },
  });
  child.stdin!.end(JSON.stringify([{ source: 'aws.events', 'detail-type': 'Scheduled Event' }]));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? -1)));
  const lines = `${stdout}\n${stderr}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const last = stdout.trim().split('\n').pop() ?? '';
  return { code, lines, stderr, result: code === 0 ? (JSON.parse(last) as Record<string, unknown>[])[0] : undefined };
}

export interface EmittedMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, unknown>;
  readonly value: unknown;
}

/** The EMF documents among the lines: each metric's name with its dimension values. */
export const metricsIn = (lines: readonly Record<string, unknown>[]): EmittedMetric[] =>
  lines.flatMap((line) => {
    const aws = line._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } | undefined;
    return (aws?.CloudWatchMetrics ?? []).flatMap((directive) =>
      directive.Metrics.map((metric) => ({
        namespace: directive.Namespace,
        name: metric.Name,
        dimensions: Object.fromEntries(directive.Dimensions.flat().map((name) => [name, line[name]])),
        value: line[metric.Name],
      })),
    );
  });
