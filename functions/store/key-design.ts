import type { KeySchemaElement, TableDescription } from '@aws-sdk/client-dynamodb';
import { eventsTable } from './events-table.ts';
import { eventsTable as secondDesign } from './legacy/legacy-table.ts';

/**
 * The key designs of an events table, told apart by their primary key alone
 * (docs/key-design.md#moving-a-deployed-table): `second` (the first design has its key too: they
 * differ in their indexes, and the copy reads both) and `third`, this version's.
 */
export type KeyDesign = 'second' | 'third';

/** A primary key in a line, its elements sorted: `p HASH, s RANGE`. */
const keyLine = (schema: readonly KeySchemaElement[]) =>
  schema
    .map((element) => `${element.AttributeName} ${element.KeyType}`)
    .sort()
    .join(', ');

/** Each design's primary key, as keyOfTable says a table's. */
export const designKeys: Readonly<Record<KeyDesign, string>> = {
  second: keyLine([{ AttributeName: secondDesign.partitionKey, KeyType: 'HASH' }]),
  third: keyLine([
    { AttributeName: eventsTable.partitionKey, KeyType: 'HASH' },
    { AttributeName: eventsTable.sortKey, KeyType: 'RANGE' },
  ]),
};

/** A described table's primary key in a line (`p HASH, s RANGE`); empty when the description has none. */
export const keyOfTable = (description: TableDescription): string => keyLine(description.KeySchema ?? []);

/** The key design of a table, by DescribeTable's description of it; undefined for any other table. */
export function keyDesignOf(description: TableDescription): KeyDesign | undefined {
  const key = keyOfTable(description);
  return (Object.keys(designKeys) as KeyDesign[]).find((design) => designKeys[design] === key);
}
