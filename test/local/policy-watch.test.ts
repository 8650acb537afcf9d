import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { post, startTestReceiver, type TestReceiver, testSettings } from '../support/receiver.ts';

/**
 * `npm start` with an `@file` policy follows the file: a change is checked and put in force, saying
 * so in one line; a file that fails the checks keeps the old policy and says why.
 */
const TOPIC = 'Group.CallbackBeforeCreateTopic';
const dir = mkdtempSync(join(tmpdir(), 'policy-watch-'));
const file = join(dir, 'policy.json');
const refusing = (name: string, code: number) => JSON.stringify({ rules: [{ command: TOPIC, field: 'Name', in: [name], refuse: { code, info: name } }] });

let receiver: TestReceiver;
const lines: string[] = [];

beforeAll(async () => {
  writeFileSync(file, refusing('one', 10101));
  receiver = await startTestReceiver({ settings: testSettings({ policy: `@${file}` }), policyFile: file, say: (line) => lines.push(line) });
});
afterAll(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

const create = async (name: string) =>
  (await post(receiver, { command: TOPIC, body: JSON.stringify({ CallbackCommand: TOPIC, GroupId: '@TGS#1', Operator_Account: 'a', Name: name }) })).answer
    .ErrorCode;

/** Waits for the watcher's next line (it polls the file): no timing is asserted, only what it says. */
async function nextLine(): Promise<string> {
  const seen = lines.length;
  for (let waited = 0; lines.length === seen && waited < 20_000; waited += 50) await sleep(50);
  expect(lines.length).toBeGreaterThan(seen);
  return lines.at(-1)!;
}

describe('npm start follows its policy file', () => {
  test('a valid change is put in force, in one line', async () => {
    expect(await create('one')).toBe(10101);
    writeFileSync(file, refusing('two', 10102));
    expect(await nextLine()).toBe(`Policy reloaded from ${file}: 1 rules in force.`);
    expect(await create('two')).toBe(10102);
    expect(await create('one')).toBe(0);
  });

  test('a change that fails the checks keeps the running policy, and says why', async () => {
    writeFileSync(file, JSON.stringify({ rules: [{ command: TOPIC, field: 'Name', in: ['three'], refuse: { code: 7 } }] }));
    const line = await nextLine();
    expect(line).toContain(`Policy file ${file} refused, the running policy stays:`);
    expect(line).toContain('rules.0.refuse.code: refuse.code must be 1 (the client gets 10016) or 10100–10200');
    expect(await create('two')).toBe(10102);
    expect(await create('three')).toBe(0);
  });
});
