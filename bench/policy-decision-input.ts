/**
 * The policy bench's input, the same in every run: 10,000 words of 5–10 letters from a seeded
 * generator, and a 2 KB chat message of ordinary words that contains none of them (the usual case:
 * a moderated message is almost always let through, and a miss reads the whole text). The same
 * words also make 1,000 mask rules of 10 words each, the attack campaign's shape (issue 17).
 */
const seeded = (seed: number) => () => {
  seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
  return seed / 2 ** 32;
};

const prose = 'the quick brown fox jumps over the lazy dog while we talk about lunch plans and the weather today ';

export const wordCount = 10_000;
export const maskRuleCount = 1_000;
export const messageBytes = 2_048;

export function policyBenchWords(): string[] {
  const random = seeded(9);
  const words = new Set<string>();
  while (words.size < wordCount) {
    const length = 5 + Math.floor(random() * 6);
    let word = '';
    while (word.length < length) word += String.fromCharCode(97 + Math.floor(random() * 26));
    if (!prose.includes(word)) words.add(word);
  }
  return [...words];
}

export const policyBenchBody = {
  CallbackCommand: 'Group.CallbackBeforeSendMsg',
  GroupId: '@TGS#2J4SZEAEL',
  From_Account: 'jared',
  MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: prose.repeat(Math.ceil(messageBytes / prose.length)).slice(0, messageBytes) } }],
};

export const policyBenchPolicy = () => ({
  rules: [{ command: 'Group.CallbackBeforeSendMsg', field: 'MsgBody[].MsgContent.Text', containsAny: policyBenchWords(), mask: '*' }],
});

/** The same words as 1,000 mask rules of 10 words: one automaton too, so about the same decision. */
export const policyBenchMaskRules = () => {
  const words = policyBenchWords();
  const size = wordCount / maskRuleCount;
  return {
    rules: Array.from({ length: maskRuleCount }, (_, rule) => ({
      command: 'Group.CallbackBeforeSendMsg',
      field: 'MsgBody[].MsgContent.Text',
      containsAny: words.slice(rule * size, (rule + 1) * size),
      mask: '*',
    })),
  };
};
