import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { seedCallbacks } from '../fixtures/seed-callbacks.ts';
import { type Started, startScript } from '../support/processes.ts';

const token = 'record-test-token-5e1f9c';
const dataDir = mkdtempSync(join(tmpdir(), 'callback-record-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const env = (extra: Record<string, string>) => ({
  PORT: '0',
  DYNAMODB_PORT: '0',
  DATA_DIR: dataDir,
  IM_SDKAPPIDS: '1400000123',
  IM_CALLBACK_TOKEN: token,
  ...extra,
});

/** Posts as Tencent does with a token: Sign and RequestTime in the URL. */
async function send(server: Started, command: string, body: string, { sign = true, sdkAppId = '1400000123' } = {}) {
  const url = new URL(/Callback URL\s+(\S+)/.exec(server.output())![1]!);
  const requestTime = String(Math.floor(Date.now() / 1000));
  const query = {
    SdkAppid: sdkAppId,
    CallbackCommand: command,
    contenttype: 'json',
    ClientIP: '198.51.100.7',
    OptPlatform: 'Android',
    RequestTime: requestTime,
  };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const signature = createHash('sha256')
    .update(`${sign ? token : 'forged'}${requestTime}`)
    .digest('hex');
  url.searchParams.set('Sign', signature);
  await fetch(url, { method: 'POST', body: Buffer.from(body) });
  return signature;
}

/** Stops the server and waits until the last record is out. */
async function stop(server: Started) {
  server.child.kill('SIGINT');
  await server.exited;
  return server.output();
}

const jsonRecords = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record.message === 'callback');

describe('the callback record, from npm start with a token and LOG_FORMAT=json', () => {
  test('is exactly one JSON line per callback, the one Lambda writes (without metrics), and never the token or a Sign', async () => {
    const server = await startScript('local/start.ts', env({ LOG_FORMAT: 'json' }), 'Ctrl-C stops it.');
    const topic = seedCallbacks['Group.CallbackAfterCreateTopic'];
    const signatures = [
      await send(server, 'Group.CallbackAfterCreateTopic', topic),
      await send(server, 'Group.CallbackAfterCreateTopic', topic),
      await send(server, 'Group.CallbackBeforeCreateTopic', seedCallbacks['Group.CallbackBeforeCreateTopic']),
      await send(
        server,
        'Group.CallbackBeforeCreateTopic',
        JSON.stringify({ CallbackCommand: 'Group.CallbackBeforeCreateTopic', Operator_Account: 'leckie', Name: 'n'.repeat(51) }),
      ),
      await send(server, 'Group.CallbackAfterCreateTopic', topic, { sign: false }),
      await send(server, 'Group.CallbackAfterCreateTopic', '{"CallbackCommand":', {}),
    ];
    const output = await stop(server);
    const records = jsonRecords(output);

    // `status` only when not 200 (docs/operations.md#record).
    expect(records.map((record) => [record.outcome, record.status ?? 200, record.code ?? record.reason ?? null])).toEqual([
      ['stored', 200, null],
      ['duplicate', 200, null],
      ['allowed', 200, null],
      ['refused', 200, 10101],
      ['rejected', 401, 'invalid-sign'],
      ['rejected', 400, 'invalid-json'],
    ]);
    const [stored, duplicate] = records;
    // A kept event's line points to it (eventId): its SDKAppID, fields, client IP and platform are in the table.
    expect(stored).toEqual({
      level: 'INFO',
      message: 'callback',
      timestamp: expect.any(String),
      service: 'tencent-im-callbacks',
      outcome: 'stored',
      command: 'Group.CallbackAfterCreateTopic',
      kind: 'after',
      groupId: '@TGS#2J4SZEAEL',
      topicId: '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_@TOPIC#cRTE3HIM62C5',
      user: 'group_root',
      eventId: expect.stringMatching(/^[0-9a-f]{32}$/),
      durationMs: expect.any(Number),
      coldStart: true,
      requestId: expect.any(String),
    });
    expect(duplicate).toMatchObject({ eventId: stored!.eventId });
    expect(duplicate).not.toHaveProperty('coldStart');
    expect(records[3]).toMatchObject({
      level: 'INFO',
      kind: 'before',
      fields: { operator: 'leckie' },
      rule: 0,
      clientIp: '198.51.100.7',
      optPlatform: 'Android',
    });
    // The receiver's only SDKAppID goes without saying.
    expect(records[4]).toMatchObject({ level: 'WARN', command: 'Group.CallbackAfterCreateTopic', clientIp: '198.51.100.7' });
    expect(records[4]).not.toHaveProperty('sdkAppId');
    for (const record of records) expect(record).not.toHaveProperty('payload');

    expect(output).not.toContain(token);
    for (const signature of signatures) expect(output).not.toContain(signature);
  });

  test('carries the body as received at DEBUG, still without the token or Sign', async () => {
    const server = await startScript('local/start.ts', env({ LOG_FORMAT: 'json', IM_LOG_LEVEL: 'DEBUG' }), 'Ctrl-C stops it.');
    const body = JSON.stringify({ CallbackCommand: 'Group.CallbackAfterTopicInfoChanged', GroupId: '@TGS#debug', Name: 'at debug' });
    const signature = await send(server, 'Group.CallbackAfterTopicInfoChanged', body);
    const output = await stop(server);
    expect(jsonRecords(output)).toEqual([expect.objectContaining({ outcome: 'stored', payload: body })]);
    expect(output).not.toContain(token);
    expect(output).not.toContain(signature);
  });

  test('prints the same record as one readable line by default', async () => {
    const server = await startScript('local/start.ts', env({}), 'Ctrl-C stops it.');
    await send(server, 'Group.CallbackAfterCreateGroup', seedCallbacks['Group.CallbackAfterCreateGroup']);
    await send(server, 'Group.CallbackAfterCreateGroup', '{}', { sdkAppId: '1400000999' });
    const lines = (await stop(server)).split('\n').filter((line) => /^\d{4}-\d\d-\d\dT/.test(line));
    expect(lines).toEqual([
      expect.stringMatching(
        / INFO {2}200 stored {4}Group\.CallbackAfterCreateGroup \d+ms (cold )?kind=after app=1400000123 group=@TGS#2J4SZEAEL user=group_root operator=group_root owner=leckie member=bob,peter event=[0-9a-f]{12} ip=198\.51\.100\.7 platform=Android request=/,
      ),
      expect.stringMatching(/ WARN {2}403 rejected unknown-sdkappid Group\.CallbackAfterCreateGroup \d+ms app=1400000999 /),
    ]);
  });
});
