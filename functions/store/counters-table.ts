/**
 * The policy counters table's design (docs/policy.md#rate-rules), shared by the stack
 * (infra/policy-counters.ts), the local store (local/embedded-store.ts) and the adapter
 * (dynamodb-policy-counters.ts), so all build the same table.
 *
 * - `counter` (partition key, the only key): a rate rule's count of one subject in one fixed window
 *   (`rate#rule#subject#windowStart#shard`), a repeat rule's refusals the same way, or a penalty
 *   (`penalty#rule#subject`). Subjects longer than a key part takes are hashed (key-part.ts).
 * - `n`: the count, `until`: a penalty's end (epoch ms).
 * - `expiresAt` (epoch seconds), the TTL attribute: a window's counter one window after it ends, a
 *   penalty a minute after it ends. TTL deletes within days, not at once, so nothing reads an item
 *   as current because it is still there: windows are in the key, penalties carry their end.
 * - On-demand billing: counters follow the traffic. One hot subject (a room of 10,000 messages a
 *   second) would pass DynamoDB's 1,000 writes a second per key: a rule's `rate.shards` spreads its
 *   count over that many keys (docs/policy.md#hot-keys).
 */
export const countersTable = {
  partitionKey: 'counter',
  count: 'n',
  until: 'until',
  timeToLive: 'expiresAt',
} as const;

/** The local table's name (in AWS, CloudFormation names it). */
export const LOCAL_COUNTERS_TABLE_NAME = 'tencent-im-policy-counters';
