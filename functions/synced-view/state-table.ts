/**
 * The state table's key design, shared by the CDK construct and the local store so both build the
 * same table. One item per entity (lww.ts), so that no item grows with a group's size: a group with
 * 100,000 members is 100,000 small member items under one partition, where one item per group would
 * pass DynamoDB's 400 KB limit at a few thousand members.
 *
 * - `pk` (partition key): `G#<sdkAppId>#<groupId>` for a group's items, `U#<sdkAppId>#<account>` for a user's.
 * - `sk` (sort key): `profile`, `attributes`, `member#<account>`, `topic#<topicId>`, or `presence`.
 * - `version` counts the item's writes: each write is conditional on the version it read.
 * - An id too long for a key (functions/store/key-part.ts) is there as its hash, marked `GH#`, `UH#`
 *   or `memberH#`/`topicH#`; a hashed member's or topic's id is kept whole in `wholeKey`.
 */
export const stateTable = { partitionKey: 'pk', sortKey: 'sk' } as const;
