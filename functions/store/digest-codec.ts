import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { sortKeyOf } from './event-keys.ts';

/**
 * The entries of a digest item (docs/key-design.md#digests): each says where one event is, so the
 * app-wide and per-command listings read a few digest items instead of every place's keys. About 27
 * bytes an entry once deflated, so an event's share of a digest write is ~0.03 units.
 *
 * Layout, then deflated (raw, level 6): a varint header length; the header, JSON `{p: [place
 * prefixes], c: [commands]}` (`c` only with commands); then per entry, newest first: its time (6
 * bytes, big-endian ms), its id (16 bytes), its place prefix's index + 1 as a varint (0: an untimed
 * event, keyed by its id), the place's shard as a varint (not for untimed), and its command's index
 * as a varint (with commands only).
 */
export interface DigestEntry {
  /** The key time (an untimed event's: when it first arrived). */
  readonly time: number;
  readonly eventId: string;
  /** The event item's partition key without the app: `g#<id>#<shard>`, `u#…`, `n#-#<shard>`, or `x#<eventId>` (untimed). */
  readonly place: string;
  /** In the app's digests: the event's command. */
  readonly command?: string;
}

const TIME_BYTES = 6;
const ID_BYTES = 16;
const UNTIMED_PREFIX = 'x#';

function writeVarint(n: number, out: number[]) {
  let rest = n;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

function readVarint(bytes: Buffer, at: { i: number }): number {
  let n = 0;
  let scale = 1;
  for (;;) {
    const byte = bytes[at.i++];
    if (byte === undefined) throw new RangeError('digest: a varint runs past the end');
    n += (byte & 0x7f) * scale;
    if (byte < 0x80) return n;
    scale *= 0x80;
  }
}

/** The order of entries and of the events they stand for: an event's sort key. */
export const entryOrder = (entry: Pick<DigestEntry, 'time' | 'eventId'>) => sortKeyOf(entry.time, entry.eventId);

/** Newest first, as a digest holds them. */
export const newestEntriesFirst = (entries: DigestEntry[]) =>
  entries.sort((a, b) => (entryOrder(a) < entryOrder(b) ? 1 : entryOrder(a) > entryOrder(b) ? -1 : 0));

export function encodeDigest(entries: readonly DigestEntry[], withCommands: boolean): Uint8Array {
  const prefixOf = (place: string) => place.slice(0, place.lastIndexOf('#'));
  const places = [...new Set(entries.filter((entry) => !entry.place.startsWith(UNTIMED_PREFIX)).map((entry) => prefixOf(entry.place)))];
  const commands = withCommands ? [...new Set(entries.map((entry) => entry.command ?? ''))] : [];
  const placeIndex = new Map(places.map((place, i) => [place, i]));
  const commandIndex = new Map(commands.map((command, i) => [command, i]));
  const header = Buffer.from(JSON.stringify(withCommands ? { p: places, c: commands } : { p: places }));
  const head: number[] = [];
  writeVarint(header.length, head);
  const parts: Buffer[] = [Buffer.from(head), header];
  for (const entry of entries) {
    if (!/^[0-9a-f]{32}$/.test(entry.eventId)) throw new RangeError(`digest: ${entry.eventId} is not an event id`);
    const fixed = Buffer.alloc(TIME_BYTES + ID_BYTES);
    fixed.writeUIntBE(entry.time, 0, TIME_BYTES);
    fixed.write(entry.eventId, TIME_BYTES, 'hex');
    const tail: number[] = [];
    if (entry.place.startsWith(UNTIMED_PREFIX)) writeVarint(0, tail);
    else {
      writeVarint(placeIndex.get(prefixOf(entry.place))! + 1, tail);
      writeVarint(Number(entry.place.slice(entry.place.lastIndexOf('#') + 1)), tail);
    }
    if (withCommands) writeVarint(commandIndex.get(entry.command ?? '')!, tail);
    parts.push(fixed, Buffer.from(tail));
  }
  return deflateRawSync(Buffer.concat(parts), { level: 6 });
}

export function decodeDigest(blob: Uint8Array | string, withCommands: boolean): DigestEntry[] {
  const bytes = inflateRawSync(typeof blob === 'string' ? Buffer.from(blob, 'base64') : blob);
  const at = { i: 0 };
  const headerLength = readVarint(bytes, at);
  const header = JSON.parse(bytes.subarray(at.i, at.i + headerLength).toString('utf8')) as { p: string[]; c?: string[] };
  at.i += headerLength;
  const entries: DigestEntry[] = [];
  while (at.i < bytes.length) {
    const time = bytes.readUIntBE(at.i, TIME_BYTES);
    const eventId = bytes.subarray(at.i + TIME_BYTES, at.i + TIME_BYTES + ID_BYTES).toString('hex');
    at.i += TIME_BYTES + ID_BYTES;
    const placeRef = readVarint(bytes, at);
    const place = placeRef === 0 ? `${UNTIMED_PREFIX}${eventId}` : `${header.p[placeRef - 1]}#${readVarint(bytes, at)}`;
    const command = withCommands ? header.c?.[readVarint(bytes, at)] : undefined;
    entries.push(command === undefined ? { time, eventId, place } : { time, eventId, place, command });
  }
  return entries;
}
