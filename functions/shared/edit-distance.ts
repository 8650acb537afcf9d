/**
 * How far apart two short words are, and which of some names a word is nearest to: what
 * functions/shared/intended-setting.ts uses to name the setting a mistyped key meant, infra/deployment-settings.ts
 * to refuse a near miss of `tokenSecret=create`, and the registry to name the command a mistyped
 * `CallbackCommand` meant (functions/commands/registry.ts, infra/on-event.ts).
 */

/** Levenshtein distance, two rows: the words compared are setting names, values and command names. */
export function editDistance(a: string, b: string): number {
  return boundedEditDistance(a, b, Math.max(a.length, b.length));
}

/**
 * The edit distance when it is at most `most`, else `most + 1`: a row whose every cell is past `most`
 * only grows, so the table stops there. The callback names the command a mistyped `CallbackCommand`
 * meant on its request path, against every registered name: most names are far, and stop in a few rows.
 */
function boundedEditDistance(a: string, b: string, most: number): number {
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowLeast = i;
    for (let j = 1; j <= b.length; j++) {
      const cell = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      current[j] = cell;
      if (cell < rowLeast) rowLeast = cell;
    }
    if (rowLeast > most) return most + 1;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[b.length]!, most + 1);
}

/**
 * The name nearest to a word, ignoring case, when it is near enough to be what was meant: at most 2
 * edits, or one in five characters of the word (`Group.CallbackBeforeSendMessage` meant
 * `Group.CallbackBeforeSendMsg`, 4 edits in 31). The first of equally near names wins. None when the
 * word is one of the names.
 */
export function nearestName(word: string, names: readonly string[]): string | undefined {
  const folded = word.toLowerCase();
  const near = Math.max(2, Math.floor(word.length / 5));
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    if (name === word) return undefined;
    // Lengths further apart than `near` are further apart than that in edits too: a long word sent to
    // the callback costs no table of edits.
    if (Math.abs(name.length - word.length) > near) continue;
    const distance = boundedEditDistance(folded, name.toLowerCase(), best === undefined ? near : Math.min(near, best.distance - 1));
    if (distance <= near && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
