/**
 * What Powertools Metrics writes to stdout while `run` runs: one CloudWatch EMF document a line, parsed.
 * The metrics as CloudWatch would read them, without a CloudWatch.
 */
export async function emfWhile(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await run();
  } finally {
    process.stdout.write = write;
  }
  return lines
    .flatMap((line) => line.split('\n'))
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
