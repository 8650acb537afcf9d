import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { build } from 'esbuild';
import { routes, TOKEN_META } from '../../../../local/inspector/routes.ts';
import { projectRoot, startScript } from '../../../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'inspector-npm-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('where the inspector runs', () => {
  test('none of it is in the Lambda functions: their entries never reach local/', async () => {
    const result = await build({
      entryPoints: [join(projectRoot, 'functions/callback/handler.ts'), join(projectRoot, 'functions/drain/handler.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      // Only the project's own files matter here, and walking them alone is quick.
      packages: 'external',
      write: false,
      outdir: 'out',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.startsWith('functions/callback/'))).toBe(true);
    expect(inputs.filter((input) => input.includes('local/'))).toEqual([]);
  });

  test('npm start serves it, names it in the banner, and bundles its page on the first request', async () => {
    const server = await startScript('local/start.ts', { PORT: '0', DYNAMODB_PORT: '0', DATA_DIR: dataDir, IM_SDKAPPIDS: '1400000123' }, 'Ctrl-C stops it.');
    try {
      const url = /Inspector\s+(\S+)/.exec(server.output())![1]!;
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`<meta name="${TOKEN_META}"`);
      const script = await fetch(new URL(routes.script, url));
      expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(await script.text()).toContain('EventSource');
    } finally {
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
    }
  });
});
