/** What one mask rule found in one text: UTF-16 ranges `[start, end, …]` and its character. */
export interface TextMask {
  readonly ranges: readonly number[];
  readonly character: string;
}

/**
 * The text with every character inside a range replaced by the mask's character: a match of three
 * code points becomes three mask characters, whatever their UTF-16 length (`😀` is one). Masks apply
 * in rule order, so where two overlap the later rule's character shows. Unchanged: the same string.
 */
export function maskText(text: string, masks: readonly TextMask[]): string {
  if (masks.every((mask) => mask.ranges.length === 0)) return text;
  const characters = [...text];
  // Which character each UTF-16 unit belongs to.
  const characterAt = new Int32Array(text.length);
  let unit = 0;
  characters.forEach((character, index) => {
    for (let end = unit + character.length; unit < end; unit++) characterAt[unit] = index;
  });
  for (const { ranges, character } of masks) {
    for (let i = 0; i < ranges.length; i += 2) {
      const start = ranges[i]!;
      const end = ranges[i + 1]!;
      if (end <= start) continue;
      for (let index = characterAt[start]!, last = characterAt[end - 1]!; index <= last; index++) characters[index] = character;
    }
  }
  const masked = characters.join('');
  return masked === text ? text : masked;
}
