import { describe, expect, test } from '@jest/globals';
import { handler, PolicyRefused } from '../../../functions/policy-validator/handler.ts';

/**
 * The AppConfig validator refuses, by throwing, what the receiver would refuse (AppConfig reads a
 * thrown error as "invalid": the version cannot be deployed), and lets the rest through.
 */
const event = (content: string) => ({
  applicationId: 'app',
  configurationProfileId: 'profile',
  configurationVersion: '2',
  content: Buffer.from(content).toString('base64'),
  uri: 'hosted',
});
const TOPIC = 'Group.CallbackBeforeCreateTopic';

describe('the policy validator', () => {
  test('a policy the receiver accepts passes', async () => {
    await expect(handler(event(JSON.stringify({ rules: [{ command: TOPIC, field: 'Name', in: ['x'], refuse: { code: 10101 } }] })))).resolves.toBeUndefined();
  });

  test.each([
    [
      'a path the body lacks',
      { rules: [{ command: TOPIC, field: 'Nmae', in: ['x'], refuse: { code: 10101 } }] },
      `rules.0.field: field "Nmae" is not in ${TOPIC}'s body (rule 0)`,
    ],
    [
      'a code outside the range',
      { rules: [{ command: TOPIC, field: 'Name', in: ['x'], refuse: { code: 5 } }] },
      'rules.0.refuse.code: refuse.code must be 1 (the client gets 10016) or 10100–10200',
    ],
    ['an action the command cannot take', { rules: [{ command: TOPIC, field: 'Name', in: ['x'], drop: true }] }, `${TOPIC} cannot drop`],
    ['an unknown command', { rules: [{ command: 'Nope', field: 'Name', in: ['x'], drop: true }] }, 'rules.0.command: command must be a before-callback'],
  ])('%s is refused, naming the rule and the reason', async (_, policy, reason) => {
    const refusal = handler(event(JSON.stringify(policy)));
    await expect(refusal).rejects.toBeInstanceOf(PolicyRefused);
    await expect(refusal).rejects.toThrow(reason);
  });

  test('text that is not JSON is refused', async () => {
    await expect(handler(event('{"rules": ['))).rejects.toThrow('the policy is not valid JSON');
  });
});
