import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { projectRoot } from '../../support/processes.ts';

/**
 * `.ci/run` on a project that has this one's scripts and a type error: the gate must stop before
 * jest and still end with the line CI reads. A copy, so the real tree (and its node_modules) is not
 * touched; the project's tools are found on PATH, as `npm run` finds them.
 */
let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'ci-run-'));
  mkdirSync(join(project, '.ci'));
  cpSync(join(projectRoot, '.ci/run'), join(project, '.ci/run'));
  const { scripts } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const name = 'ci-gate';
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, scripts }));
  writeFileSync(
    join(project, 'package-lock.json'),
    JSON.stringify({ name, version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name, version: '1.0.0' } } }),
  );
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { noEmit: true, strict: true }, include: ['*.ts'] }));
  writeFileSync(join(project, 'wrong.ts'), 'export const count: number = "three";\n');
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

test('a type error fails .ci/run before jest runs, and the last line still reads 0 passed, 1 failed', async () => {
  const env = { ...process.env, PATH: `${join(projectRoot, 'node_modules/.bin')}:${process.env.PATH}` };
  const outcome = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    execFile(join(project, '.ci/run'), { cwd: project, env }, (error, stdout) => resolve({ code: error ? (error.code as number) : 0, stdout }));
  });
  expect(outcome.stdout).toMatch(/wrong\.ts\(1,14\): error TS2322/);
  expect(outcome.stdout).not.toMatch(/> jest|PASS|FAIL /);
  expect(outcome.code).not.toBe(0);
  expect(outcome.stdout.trim().split('\n').at(-1)).toBe('0 passed, 1 failed');
});
