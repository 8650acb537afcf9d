/**
 * The client bundled as a Lambda function's code is (infra/receiver-function.ts: esbuild, ESM, node24,
 * minified, everything bundled, the createRequire banner for CommonJS such as tls-sig-api-v2), then
 * run in a fresh process against the stand-in: the UserSig it makes there must be accepted.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { build } from 'esbuild';
import { projectRoot } from '../../../support/processes.ts';
import { startTencentRestStandIn, type TencentRestStandIn } from '../../../support/tencent-rest-stand-in.ts';

const app = { sdkAppId: '1400000001', identifier: 'administrator', secretKey: 'bundle-test-key' };
const entry = `
import { tencentCredentials } from './functions/tencent/tencent-credentials.ts';
import { TencentRestClient } from './functions/tencent/tencent-rest-client.ts';
const client = new TencentRestClient({ credentials: tencentCredentials(JSON.parse(process.env.APP)), baseUrl: process.env.BASE_URL });
console.log(JSON.stringify(await client.sendGroupMsg({ GroupId: '@TGS#bundle', MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'from a bundle' } }] })));
`;

const outDir = mkdtempSync(join(tmpdir(), 'tencent-rest-bundle-'));
const outfile = join(outDir, 'index.mjs');
let standIn: TencentRestStandIn;
let warnings: string[];
beforeAll(async () => {
  standIn = await startTencentRestStandIn(app);
  standIn.groups.set('@TGS#bundle', { Type: 'Public' });
  const result = await build({
    stdin: { contents: entry, resolveDir: projectRoot, sourcefile: 'entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    outfile,
    logLevel: 'silent',
  });
  warnings = result.warnings.map((warning) => warning.text);
});
afterAll(async () => {
  await standIn.close();
  rmSync(outDir, { recursive: true, force: true });
});

test('tls-sig-api-v2 is bundled in, without warnings', () => {
  expect(warnings).toEqual([]);
  const code = readFileSync(outfile, 'utf8');
  expect(code).toContain('TLS.identifier:');
  expect(code).not.toMatch(/require\(["']tls-sig-api-v2/);
  // About 23 KB: valibot, the client and Tencent's package. Importing the receiver's settings would
  // bring the policy engine (re2js, the command registry), ten times that, into every cold start.
  expect(code.length).toBeLessThan(64 * 1024);
});

test('the bundle signs and sends in a fresh process', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [outfile], {
    env: { PATH: process.env.PATH, APP: JSON.stringify(app), BASE_URL: standIn.baseUrl },
  });
  expect(JSON.parse(stdout)).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, MsgTime: expect.any(Number), MsgSeq: 1 });
  expect(standIn.requests.map((request) => request.answer)).toEqual([0]);
  expect(standIn.sent.map((message) => message.body.MsgBody)).toEqual([[{ MsgType: 'TIMTextElem', MsgContent: { Text: 'from a bundle' } }]]);
});
