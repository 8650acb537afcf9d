import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CountRequest, PenaltyRequest, PolicyCounters } from '../policy/policy-counters.ts';
import { countersTable } from './counters-table.ts';
import { keyPart } from './key-part.ts';

/** How long a penalty's item outlives it, s: TTL deletes late anyway, and `until` says when it ended. */
const PENALTY_GRACE_S = 60;

const subjectKey = (subject: string) => {
  const { text, hashed } = keyPart(subject);
  // `#h:` cannot begin an id kept as itself in this place of the key: a hashed one cannot imitate another.
  return hashed ? `#h:${text}` : text;
};

/**
 * The policy counters (policy/policy-counters.ts) in the counters table (counters-table.ts): one
 * conditional `UpdateItem` per counted request, one `GetItem` per repeat-offender lookup, one
 * `PutItem` per penalty. The signal aborts the SDK's request when the decision's budget is spent.
 *
 * A count is kept in fixed windows (`at` rounded down to the window): a burst across a window's end
 * can pass up to twice the limit before it matches, the price of one write per request (a sliding
 * window needs a read of the previous window too). The conditional write stops counting once past
 * the limit, so a flooding subject's counter stays small and its writes fail fast, as matches.
 *
 * With `shards` above 1 a request counts on one of that many keys at random and the count is the
 * key's count times `shards`: an estimate, whose error shrinks as the limit grows against the
 * shards (docs/policy.md#hot-keys). What counts is that a room's 10,000 messages a second spread
 * over 16 keys write ~625 a second to each, under DynamoDB's 1,000 per key.
 */
export class DynamoDbPolicyCounters implements PolicyCounters {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #random: () => number;

  constructor(client: DynamoDBDocumentClient, tableName: string, options: { readonly random?: () => number } = {}) {
    this.#client = client;
    this.#tableName = tableName;
    this.#random = options.random ?? Math.random;
  }

  async count(request: CountRequest, signal: AbortSignal): Promise<number> {
    const shards = request.shards ?? 1;
    const windowStart = Math.floor(request.at / request.windowMs) * request.windowMs;
    const shard = shards === 1 ? 0 : Math.floor(this.#random() * shards);
    // Each key stops counting at its share of one past the limit: the estimate is then past it.
    const cap = Math.ceil((request.limit + 1) / shards);
    const key = `${request.kind}#${request.rule}#${subjectKey(request.subject)}#${windowStart}#${shard}`;
    try {
      const { Attributes } = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [countersTable.partitionKey]: key },
          UpdateExpression: 'ADD #n :one SET #expires = if_not_exists(#expires, :expires)',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :cap',
          ExpressionAttributeNames: { '#n': countersTable.count, '#expires': countersTable.timeToLive },
          ExpressionAttributeValues: { ':one': 1, ':cap': cap, ':expires': Math.ceil((windowStart + 2 * request.windowMs) / 1000) },
          ReturnValues: 'UPDATED_NEW',
        }),
        { abortSignal: signal },
      );
      return Number(Attributes?.[countersTable.count] ?? 1) * shards;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return cap * shards;
      throw error;
    }
  }

  async penaltyUntil(request: PenaltyRequest, signal: AbortSignal): Promise<number | undefined> {
    const { Item } = await this.#client.send(new GetCommand({ TableName: this.#tableName, Key: { [countersTable.partitionKey]: penaltyKey(request) } }), {
      abortSignal: signal,
    });
    const until = Item?.[countersTable.until];
    return typeof until === 'number' ? until : undefined;
  }

  async punish(request: PenaltyRequest & { readonly until: number }, signal: AbortSignal): Promise<void> {
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: {
          [countersTable.partitionKey]: penaltyKey(request),
          [countersTable.until]: request.until,
          [countersTable.timeToLive]: Math.ceil(request.until / 1000) + PENALTY_GRACE_S,
        },
      }),
      { abortSignal: signal },
    );
  }
}

const penaltyKey = (request: PenaltyRequest) => `penalty#${request.rule}#${subjectKey(request.subject)}`;
