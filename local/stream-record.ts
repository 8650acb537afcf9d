import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { itemOf } from '../functions/store/event-item.ts';
import { eventKeyOf } from '../functions/store/event-keys.ts';
import { eventsTable } from '../functions/store/events-table.ts';
import type { LogRecord } from './change-log.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './local-aws-names.ts';

/** DynamoDB Streams' sequence numbers are decimal strings of up to 21 digits: ours too, zero-padded so they also sort as text. */
export const sequenceNumberOf = (seq: number) => String(seq).padStart(21, '0');
export const seqOf = (sequenceNumber: string) => Number.parseInt(sequenceNumber, 10);

/**
 * An attribute value as Lambda receives it: the event is JSON, so a binary value (`B`, `BS`) is base64
 * text there, where the SDK's marshall gives bytes.
 */
function asDelivered(value: SdkAttributeValue): AttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')) };
  if (value.M !== undefined) return { M: imageAsDelivered(value.M) };
  if (value.L !== undefined) return { L: value.L.map(asDelivered) };
  return value as AttributeValue;
}

const imageAsDelivered = (image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, asDelivered(value)]));

/**
 * A log record as the events table's stream would carry it to a Lambda consumer (DynamoDB Streams'
 * record, view type NEW_IMAGE): an INSERT whose NewImage is the item the table holds, built by the
 * store's own `itemOf` from the keys its put wrote, so the consumers read the same item, index keys
 * and all, that they read in AWS.
 */
export function streamRecordOf(record: LogRecord, tableName: string): DynamoDBRecord {
  // A record of a log older than the third key design has no key: the one its event has now.
  const image = imageAsDelivered(marshall(itemOf(record.event, record.key ?? eventKeyOf(record.event)), { removeUndefinedValues: true }));
  const { partitionKey, sortKey } = eventsTable;
  return {
    eventID: sequenceNumberOf(record.seq),
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: LOCAL_REGION,
    eventSourceARN: `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${tableName}/stream/local`,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(record.at / 1000),
      Keys: { [partitionKey]: image[partitionKey]!, [sortKey]: image[sortKey]! },
      NewImage: image,
      SequenceNumber: sequenceNumberOf(record.seq),
      StreamViewType: eventsTable.stream,
    },
  };
}
