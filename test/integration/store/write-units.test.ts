/**
 * Write units as DynamoDB counts them (`ReturnConsumedCapacity: 'INDEXES'`), for the realistic bodies
 * `npm run bench` reports (bench/write-units.ts; issue 19: a 1 KB message in at most 2 units), each put
 * through the store's adapter and again as Tencent's retry, and beside the second key design. Both
 * kinds count the table's units: the compressed item of a 1 KB message fits one. Only DynamoDB Local
 * counts the indexes' too, so the whole 2 units are checked in the compatibility tier.
 */
import { expect, test } from '@jest/globals';
import { measureWriteUnits } from '../../../bench/write-units.ts';
import { describeEachKind } from '../../support/dynamodb-servers.ts';

const SERVER_TIMEOUT_MS = 120_000;

describeEachKind('write units of realistic bodies on %s', (kind) => {
  test(
    'a 1 KB message of any kind: its compressed item 1 unit and its byActor entry 1 (DynamoDB Local alone counts indexes), against the second design’s 4; a presence change 1; a retry stores nothing',
    async () => {
      const { bodies } = await measureWriteUnits(kind);
      const tables = Object.fromEntries(bodies.map(({ name, now, before }) => [name, [now.table, before.table]]));
      expect(tables).toEqual({
        '1 KB message in a live room': [1, 2],
        '1 KB message in a work group': [1, 2],
        '1 KB one-to-one message': [1, 2],
        'three members joining a group': [1, 1],
        'a presence change': [1, 1],
      });
      for (const body of bodies)
        expect({ body: body.name, retryStoredNothing: body.retryStoredNothing }).toEqual({ body: body.name, retryStoredNothing: true });
      // dynalite reports no index units (a difference from DynamoDB: test/integration/store/dynamodb-differences.test.ts's kind).
      if (kind === 'dynalite') return;
      const totals = Object.fromEntries(
        bodies.map(({ name, now, before }) => [name, { now: now.total, byActor: now.indexes.byActor ?? 0, before: before.total }]),
      );
      expect(totals).toEqual({
        '1 KB message in a live room': { now: 2, byActor: 1, before: 4 },
        '1 KB message in a work group': { now: 2, byActor: 1, before: 4 },
        '1 KB one-to-one message': { now: 2, byActor: 1, before: 4 },
        'three members joining a group': { now: 2, byActor: 1, before: 3 },
        'a presence change': { now: 1, byActor: 0, before: 3 },
      });
    },
    SERVER_TIMEOUT_MS,
  );
});
