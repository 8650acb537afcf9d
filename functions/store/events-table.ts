/**
 * The events table's key design, shared by the CDK stack and the local store so both build the same
 * table. Every item is one after-event:
 *
 * - `eventId` (partition key) is derived from the delivery (event-id.ts), so writing it with
 *   `attribute_not_exists(eventId)` stores a repeated delivery once.
 * - `byGroup` lists one group's events in time order: partition `groupKey` = `<sdkAppId>#<groupId>`.
 * - `byCommand` lists one command's events in time order: partition `commandKey` = `<sdkAppId>#<command>`.
 * - Both sort on `timeKey` = `<ISO time>#<eventId>`: the event's own `EventTime` when Tencent sends
 *   one, else when it arrived; the event id keeps equal times apart.
 * - `expiresAt` (epoch seconds) is the TTL attribute.
 */
export const eventsTable = {
  partitionKey: 'eventId',
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    byGroup: { indexName: 'byGroup', partitionKey: 'groupKey', sortKey: 'timeKey' },
    byCommand: { indexName: 'byCommand', partitionKey: 'commandKey', sortKey: 'timeKey' },
  },
} as const;

export const groupKey = (sdkAppId: string, groupId: string) => `${sdkAppId}#${groupId}`;
export const commandKey = (sdkAppId: string, command: string) => `${sdkAppId}#${command}`;
export const timeKey = (epochMs: number, eventId: string) => `${new Date(epochMs).toISOString()}#${eventId}`;
