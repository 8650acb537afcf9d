import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parseSubjectKey } from './event-keys.ts';
import { attributes as at, SINGLE_SORT } from './events-table.ts';

/** A marker whose TTL ends within this is renewed: it must outlive every wide item it announces. */
const RENEW_WITHIN_SECONDS = 86_400;
/** Markers remembered by one writer: a few per busy subject it has seen. */
const MAX_REMEMBERED = 10_000;

/** The marker of the subject a wide place or actor key belongs to (`<app>#m#<kind>#<id>`). */
export function markerKeyOf(subjectKey: string): string {
  const { sdkAppId, part } = parseSubjectKey(subjectKey);
  return `${sdkAppId}#m#${part}`;
}

/**
 * The markers of wide subjects (docs/key-design.md#markers): a listing reads a subject's wide keys
 * only when its marker says some of its events may be there, so a writer makes sure of the marker
 * before the first wide item it writes. Once per writer and subject: a GetItem (a read first, so a
 * room's many instances warming up at once do not all write one key), then, when it is missing or
 * expires within a day, an UpdateItem that keeps the first time and moves the TTL on. Racing writers
 * write it a few times, harmlessly.
 */
export class SubjectMarkers {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  /** Marker key → the TTL it is known to have. */
  readonly #known = new Map<string, number>();

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  /** Makes sure the marker of `subjectKey`'s subject exists and lives at least until `expiresAt` (epoch seconds). */
  async ensure(subjectKey: string, expiresAt: number, now: number, signal?: AbortSignal): Promise<void> {
    const key = markerKeyOf(subjectKey);
    const known = this.#known.get(key);
    if (known !== undefined && known >= expiresAt - RENEW_WITHIN_SECONDS) return;
    const { Item } = await this.#client.send(new GetCommand({ TableName: this.#tableName, Key: { [at.partition]: key, [at.sort]: SINGLE_SORT } }), {
      abortSignal: signal,
    });
    let lives = typeof Item?.[at.expiresAt] === 'number' ? (Item[at.expiresAt] as number) : undefined;
    if (lives === undefined || lives < expiresAt - RENEW_WITHIN_SECONDS) {
      lives = Math.max(lives ?? 0, expiresAt);
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [at.partition]: key, [at.sort]: SINGLE_SORT },
          UpdateExpression: 'SET #m = if_not_exists(#m, :now), #x = :x',
          ExpressionAttributeNames: { '#m': at.mark, '#x': at.expiresAt },
          ExpressionAttributeValues: { ':now': now, ':x': lives },
        }),
        { abortSignal: signal },
      );
    }
    this.#known.delete(key);
    this.#known.set(key, lives);
    if (this.#known.size > MAX_REMEMBERED) this.#known.delete(this.#known.keys().next().value as string);
  }
}
