import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { commandDefinition } from '../../../functions/commands/registry.ts';
import { testSeed } from '../../support/seed.ts';
import { compileRules, custom, text } from './test-families.ts';

/** Masking as a property: whatever the message, only the matched characters of text elements change. */
const SEED = testSeed('policy mask');

const send = commandDefinition('Group.CallbackBeforeSendMsg');
const TEXT = 'MsgBody[].MsgContent.Text';
const words = ['darn', 'ＨＥＣＫ', 'ß', '😀😀'];
const decide = compileRules(
  { command: send.command, field: TEXT, containsAny: words, mask: '*' },
  { command: send.command, field: TEXT, pattern: '\\d{3}', mask: '😶' },
);

const piece = fc.constantFrom('darn', 'DARN', 'heck', 'ｈｅｃｋ', 'ß', 'ss', '😀', '话题', 'e\u0301', ' ', 'a', 'x', '1', '2', '3');
const textElement = fc.array(piece, { maxLength: 12 }).map((pieces) => text(pieces.join('')));
const otherElement = fc.oneof(
  fc.string().map(custom),
  fc.constant({ MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'darn' } }),
  fc.constant({ MsgType: 'TIMTextElem', MsgContent: { Text: 42 } }),
);
const msgBody = fc.array(fc.oneof(textElement, otherElement), { minLength: 1, maxLength: 6 });

const codePoints = (value: string) => [...value];

describe('masking (property)', () => {
  test('keeps every text its length in code points, and every other element as it was, in order', () => {
    fc.assert(
      fc.property(msgBody, (body) => {
        const before = structuredClone(body);
        const decision = decide(send, { MsgBody: body });
        expect(body).toEqual(before);
        if (decision.action === 'allow') return;
        expect(decision.action).toBe('rewrite');
        if (decision.action !== 'rewrite') return;
        expect(decision.field).toBe('MsgBody');
        const msgBody = decision.value as Record<string, unknown>[];
        expect(msgBody).toHaveLength(body.length);
        msgBody.forEach((element, index) => {
          const original = body[index]!;
          const was = (original.MsgContent as { Text?: unknown }).Text;
          if (typeof was !== 'string') {
            expect(element).toEqual(original);
            return;
          }
          const now = (element as { MsgContent: { Text: string } }).MsgContent.Text;
          expect(codePoints(now)).toHaveLength(codePoints(was).length);
          // Each character is either kept or masked.
          for (const [at, character] of codePoints(now).entries()) expect([codePoints(was)[at], '*', '😶']).toContain(character);
          expect(now).not.toMatch(/darn|\d{3}/i);
        });
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});

describe('masking, examples', () => {
  test('a combining sequence is masked whole, per code point', () => {
    const decision = compileRules({ command: send.command, field: TEXT, containsAny: ['é'], mask: '*' })(send, { MsgBody: [text('cafe\u0301!')] });
    expect(decision).toMatchObject({ field: 'MsgBody', value: [text('caf**!')] });
  });

  test('overlapping words mask their union', () => {
    const decision = compileRules({ command: send.command, field: TEXT, containsAny: ['abc', 'cde'], mask: '-' })(send, { MsgBody: [text('xabcdex')] });
    expect(decision).toMatchObject({ field: 'MsgBody', value: [text('x-----x')] });
  });
});
