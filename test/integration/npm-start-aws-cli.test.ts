import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { type Started, startScript } from '../support/processes.ts';

/**
 * The banner's AWS CLI line, pasted into a shell with no AWS configuration at all, lists the table:
 * without its dummy credentials and region the CLI refuses ("You must specify a region", "Unable to
 * locate credentials"). Runs where the AWS CLI is installed.
 */
const hasAwsCli = (() => {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let dataDir: string;
let server: Started | undefined;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'npm-start-aws-cli-'));
  if (hasAwsCli) server = await startScript('local/start.ts', { PORT: '0', DYNAMODB_PORT: '0', DATA_DIR: dataDir }, 'Ctrl-C stops it.');
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

const shell = (line: string, env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile('sh', ['-c', line], { env }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr })),
  );

(hasAwsCli ? test : test.skip)(
  "the banner's AWS CLI line works on a machine with no AWS configuration",
  async () => {
    const line = /AWS CLI\s+(.+)$/m.exec(server!.output())![1]!;
    // Nothing of the developer's: no profile, no config or credentials files, no region.
    const bare = { PATH: process.env.PATH, HOME: dataDir, AWS_CONFIG_FILE: join(dataDir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'none') };
    const scanned = await shell(line, bare);
    expect(scanned.stderr).toBe('');
    expect(JSON.parse(scanned.stdout)).toMatchObject({ Items: expect.any(Array) });
    // The same command without what the line adds fails: that is why it adds it.
    const without = await shell(line.replace(/^(\S+=\S+ )+/, '').replace(/ --region \S+/, ''), bare);
    expect(without.code).not.toBe(0);
  },
  60_000,
);
