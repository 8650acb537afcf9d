/**
 * The state table's key design, shared by the CDK construct and the local store so both build the
 * same table. One item per entity (lww.ts), so that no item grows with a group's size: a group with
 * 100,000 members is 100,000 small member items under one partition, where one item per group would
 * pass DynamoDB's 400 KB limit at a few thousand members. Nothing reads a whole group but a person
 * asking for it (`npm run state`): the consumer writes an entity without reading it.
 *
 * - `pk` (partition key): `G#<sdkAppId>#<groupId>` for a group's items, `U#<sdkAppId>#<account>` for a
 *   user's; in generation n > 0 of the view (state-generations.ts), `G#<sdkAppId>:<n>#<groupId>`.
 *   `V#<sdkAppId>` holds the SDKAppID's generation pointer (sort key `generation`).
 * - `sk` (sort key): `profile`, `attributes`, `member#<account>`, `topic#<topicId>`, or `presence`.
 * - An id too long for a key (functions/store/key-part.ts) is there as its hash, marked `GH#`, `UH#`
 *   or `memberH#`/`topicH#`; a hashed member's or topic's id is kept in `key`.
 * - Each register is an attribute of its own, `r:<name>` (or `h:<sha256 of the name>`), so that one
 *   UpdateItem sets a patch's registers without reading the item; `latest` is the newest stamp merged,
 *   `version` counts the item's writes (state-item.ts, dynamodb-state-store.ts).
 */
export const stateTable = { partitionKey: 'pk', sortKey: 'sk' } as const;
