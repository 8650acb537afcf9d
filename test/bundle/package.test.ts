/**
 * The package people install: `npm pack` (its prepack builds dist/), the tarball installed offline
 * (from it and the local npm cache) into a copy of examples/receiver-app in a temporary folder, that
 * app type-checked against the installed types and synthesized with cdk-nag, with one receiver and
 * with two; and the installed callback bundle run on one request against dynalite. The app has no
 * esbuild and no source of this project: what it deploys is what the package holds.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { commandRegistry } from '../../functions/commands/registry.ts';
import { settingsToEnvironment } from '../../functions/shared/settings.ts';
import { eventOf, isEventItem } from '../../functions/store/event-item.ts';
import { libraryImports } from '../../infra/build/library.ts';
import { handlerNames } from '../../infra/handler-code.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../local/embedded-store.ts';
import { apiGatewayEvent } from '../support/api-gateway-event.ts';
import { projectRoot } from '../support/processes.ts';
import { SDK_APP_ID, testSettings } from '../support/receiver.ts';
import { exampleLockfile } from './example-lockfile.ts';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'package-test-'));
const appDir = join(work, 'app');
const installed = join(appDir, 'node_modules/tencent-im-callbacks');
const packageJson = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
let tarballFiles: string[];

interface CloudTemplate {
  Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
}

/**
 * `tsc --noEmit` over the installed app, incremental: the second run (a consumer typed wrongly) then
 * checks again only the file changed and what depends on it, not aws-cdk-lib's declarations. Either
 * test run alone checks everything.
 */
const typeCheck = () =>
  run(join(appDir, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.', '--incremental', '--tsBuildInfoFile', join(work, 'tsc.tsbuildinfo')], { cwd: appDir });

/** The example app synthesized as `cdk synth` runs it (cdk.json's `node app.ts`), into a folder of its own. */
async function synthesizeExample(context: Record<string, string>, app = 'app.ts'): Promise<{ outdir: string; template: CloudTemplate }> {
  const outdir = mkdtempSync(join(work, 'cdk.out-'));
  await run(process.execPath, [app], {
    cwd: appDir,
    env: {
      PATH: process.env.PATH,
      // CDK's built-in CloudFormation validation only warns: test/infra/cfn-guard.test.ts runs it, strictly, over the
      // same receivers (one and two in a stack). Here it would only start its engine, seconds of CPU, in each synth.
      CDK_VALIDATION: 'false',
      // V8's code cache, shared with the other processes of the run (package.json's jest script): it changes how fast
      // aws-cdk-lib compiles, not what the synth does.
      ...(process.env.NODE_COMPILE_CACHE === undefined ? {} : { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE }),
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...context, 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true }),
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  return { outdir, template: JSON.parse(readFileSync(join(outdir, 'ChatApp.template.json'), 'utf8')) as CloudTemplate };
}

beforeAll(async () => {
  // npm pack runs prepack (npm run build): the handler bundles and the library, built from scratch.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('[\n'))) as [{ filename: string; integrity: string; files: { path: string }[] }];
  tarballFiles = packed.files.map((file) => file.path).sort();

  cpSync(join(projectRoot, 'examples/receiver-app'), appDir, { recursive: true, filter: (source) => !/node_modules|cdk\.out/.test(source) });
  const appPackage = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as Parameters<typeof exampleLockfile>[1];
  const tarball = `file:../${packed.filename}`;
  appPackage.dependencies![packageJson.name] = tarball;
  writeFileSync(join(appDir, 'package.json'), JSON.stringify(appPackage, null, 2));
  const rootLock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8'));
  const own = {
    version: packageJson.version,
    resolved: tarball,
    integrity: packed.integrity,
    dependencies: packageJson.dependencies,
    peerDependencies: packageJson.peerDependencies,
  };
  writeFileSync(join(appDir, 'package-lock.json'), JSON.stringify(exampleLockfile(rootLock, appPackage, { [packageJson.name]: own }), null, 2));
  // Offline: the tarball, and every other package from the local npm cache by the integrity locked.
  await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: appDir, maxBuffer: 16 * 1024 * 1024 });
}, 600_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds the library as JavaScript with declarations, the four prebuilt handlers and the JSON Schemas; no TypeScript source, no test', () => {
    expect(tarballFiles).toEqual(expect.arrayContaining(['package.json', 'dist/infra/index.js', 'dist/infra/index.d.ts', 'schemas/event.json']));
    // Each handler's folder whole, as prepack built it: its entry and the chunks it loads (handler-bundles.ts).
    const built = handlerNames.flatMap((name) =>
      readdirSync(join(projectRoot, 'dist/handlers', name), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => `${join(entry.parentPath, entry.name).slice(projectRoot.length + 1)}`),
    );
    expect(built).toEqual(expect.arrayContaining(handlerNames.map((name) => `dist/handlers/${name}/index.mjs`)));
    expect(built.some((file) => file.includes('/chunks/'))).toBe(true);
    expect(tarballFiles.filter((file) => file.startsWith('dist/handlers/'))).toEqual(built.sort());
    expect(tarballFiles.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(tarballFiles.filter((file) => /^(test|local|cli|bench|infra|functions|examples)\//.test(file))).toEqual([]);
  });

  test('depends on what its library imports at synth, aws-cdk-lib and constructs as peers; the handlers bring their libraries inside', () => {
    const peers = Object.keys(packageJson.peerDependencies).sort();
    expect(peers).toEqual(['aws-cdk-lib', 'constructs']);
    expect(Object.keys(packageJson.dependencies).sort()).toEqual(libraryImports().filter((name) => !peers.includes(name)));
    // The repository itself has the peers, for its own tests and synth.
    for (const peer of peers) expect(packageJson.devDependencies[peer]).toBeDefined();
  });
});

describe('installed into a team’s own app (examples/receiver-app)', () => {
  test('brings neither esbuild nor TypeScript sources along', () => {
    expect(existsSync(join(appDir, 'node_modules/esbuild'))).toBe(false);
    expect(readdirSync(installed).sort()).toEqual(
      ['bin', 'dist', 'package.json', 'schemas'].concat(existsSync(join(installed, 'README.md')) ? ['README.md'] : []).sort(),
    );
  });

  test('its tencent-im bin says in one line that the command-line tools run from a clone, on any Node', async () => {
    await expect(run(process.execPath, [join(installed, 'bin/tencent-im.js'), 'events'], { cwd: appDir })).rejects.toMatchObject({
      stderr:
        'tencent-im: the command-line tools run from a clone of the tencent-im-callbacks repository (npm install there, then npx tencent-im); this installed package holds the construct and its handlers only (docs/construct.md#construct-command-line).\n',
    });
  });

  test("type-checks: the app against the construct's types, the consumer against ReceivedEvent", async () => {
    await expect(typeCheck()).resolves.toBeDefined();
  }, 120_000);

  test('a consumer typed wrongly does not type-check', async () => {
    const consumer = join(appDir, 'consumer/group-messages.mjs');
    const original = readFileSync(consumer, 'utf8');
    writeFileSync(
      consumer,
      original.replace('const { GroupId, MsgBody = [] } = event.detail.body;', 'const { GroupID: GroupId, MsgBody = [] } = event.detail.body;'),
    );
    try {
      await expect(typeCheck()).rejects.toMatchObject({
        stdout: expect.stringMatching(/group-messages\.mjs.*Property 'GroupID' does not exist/),
      });
    } finally {
      writeFileSync(consumer, original);
    }
  }, 120_000);

  test.each([
    ['one receiver', {}, 1],
    ['two receivers side by side', { receivers: 'two' }, 2],
  ])(
    'synthesizes with cdk-nag, %s, deploying the bundles the package holds',
    async (_name, context, receivers) => {
      const { outdir, template } = await synthesizeExample(context);
      const resources = Object.values(template.Resources);
      expect(resources.filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Api')).toHaveLength(receivers);
      expect(resources.filter((resource) => resource.Type === 'AWS::Events::Rule')).toHaveLength(receivers);
      // Each callback function's asset is the installed bundle, byte for byte.
      const callbacks = resources.filter(
        (resource) => resource.Type === 'AWS::Lambda::Function' && /\/Callback\/Function\/Resource$/.test(resource.Metadata?.['aws:cdk:path'] ?? ''),
      );
      expect(callbacks).toHaveLength(receivers);
      const installedBundle = readFileSync(join(installed, 'dist/handlers/callback/index.mjs'));
      for (const callback of callbacks)
        expect(readFileSync(join(outdir, callback.Metadata!['aws:asset:path']!, 'index.mjs')).equals(installedBundle)).toBe(true);
    },
    120_000,
  );

  test("and cdk-nag checks that synth: a queue of the team's without TLS fails it", async () => {
    const source = readFileSync(join(appDir, 'app.ts'), 'utf8');
    writeFileSync(
      join(appDir, 'app-with-plain-queue.ts'),
      `${source}\nconst sqs = await import('aws-cdk-lib/aws-sqs');\nnew sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });\n`,
    );
    await expect(synthesizeExample({}, 'app-with-plain-queue.ts')).rejects.toMatchObject({ stderr: expect.stringMatching(/AwsSolutions-SQS\d/) });
  }, 120_000);
});

describe('the installed callback bundle', () => {
  let store: EmbeddedStore;
  beforeAll(async () => {
    store = await startEmbeddedStore({ port: 0 });
  });
  afterAll(async () => {
    await store.close();
  });

  test('answers a callback in a fresh Node process and stores the after-event in DynamoDB (dynalite)', async () => {
    const command = 'Group.CallbackAfterSendMsg';
    const body = JSON.stringify(commandRegistry.get(command)!.example);
    const event = apiGatewayEvent({
      query: { SdkAppid: SDK_APP_ID, CallbackCommand: command, contenttype: 'json', ClientIP: '127.0.0.1', OptPlatform: 'Web' },
      body,
    });
    const child = execFile(process.execPath, [join(projectRoot, 'test/support/invoke-bundle.ts'), join(installed, 'dist/handlers/callback/index.mjs')], {
      env: {
        PATH: process.env.PATH,
        ...settingsToEnvironment(testSettings()),
        EVENTS_TABLE_NAME: LOCAL_TABLE_NAME,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'package',
        AWS_SECRET_ACCESS_KEY: 'package',
        AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
        POWERTOOLS_TRACE_ENABLED: 'false',
      },
    });
    child.stdin!.end(JSON.stringify([event]));
    const stdout = await new Promise<string>((resolve, reject) => {
      let output = '';
      let errors = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (errors += chunk));
      child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`the bundle exited ${code}: ${errors}`))));
    });
    const [result] = JSON.parse(stdout.trim().split('\n').pop()!) as [{ statusCode: number; body: string }];
    expect({ statusCode: result.statusCode, answer: JSON.parse(result.body) }).toEqual({
      statusCode: 200,
      answer: { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' },
    });
    const { Items = [] } = await store.client.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME }));
    // The event as the table gives it back (eventOf): an item of the store's own layout, body compressed.
    expect(
      Items.filter(isEventItem)
        .map(eventOf)
        .map((event) => [event.command, event.payload]),
    ).toEqual([[command, body]]);
  });
});
