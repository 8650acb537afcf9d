/**
 * The events table construct: the third key design (functions/store/events-table.ts) in a table of
 * its own, and the deployed table of the second design kept beside it exactly as it was (same
 * logical id, keys and indexes, retained), through the migration steps that table still goes
 * through (DynamoDB creates or deletes one index per update), until `retireEventsTable`.
 */
import { describe, expect, test } from '@jest/globals';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { indexesAt, migrationSteps } from '../../functions/store/legacy/legacy-table.ts';
import { EventsTable } from '../../infra/events-table.ts';
import { appWithoutBundling, deployedEventsTable, eventsTable } from '../support/stack-template.ts';
import { synthOnce } from './synth-once.ts';

const indexNames = (table: { Properties: Record<string, any> }) =>
  (table.Properties.GlobalSecondaryIndexes as { IndexName: string }[]).map((index) => index.IndexName);

describe('EventsTable', () => {
  const { template } = synthOnce();

  test('the table the receiver writes: place and time keys, one byActor index carrying only what listings filter on', () => {
    const [, table] = eventsTable(template);
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: 'p', KeyType: 'HASH' },
      { AttributeName: 's', KeyType: 'RANGE' },
    ]);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byActor',
        KeySchema: [
          { AttributeName: 'a', KeyType: 'HASH' },
          { AttributeName: 's', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['c', 'g', 'gx'] },
      },
    ]);
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'x', Enabled: true });
    expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
  });

  test('the deployed table keeps the logical id it had inside CallbackStack, its key and its indexes, retained', () => {
    // EventsD32975C2 is the id `new dynamodb.Table(stack, 'Events')` gave it: a new id would make
    // CloudFormation create an empty table and orphan the retained one.
    const [id, table] = deployedEventsTable(template)!;
    expect(id).toBe('EventsD32975C2');
    expect(table.Properties.KeySchema).toEqual([{ AttributeName: 'eventId', KeyType: 'HASH' }]);
    expect(indexNames(table)).toEqual(indexesAt().map((index) => index.indexName));
    expect(template.toJSON().Resources[id].DeletionPolicy).toBe('Retain');
    // The new table is another resource: a key schema cannot change in place.
    expect(eventsTable(template)[0]).not.toBe(id);
  });

  test('-c retireEventsTable=true leaves the deployed table out; the new one stays', () => {
    const retired = synthOnce({ retireEventsTable: 'true' }).template;
    expect(deployedEventsTable(retired)).toBeUndefined();
    expect(eventsTable(retired)[0]).toBe(eventsTable(template)[0]);
    expect(Object.keys(retired.findOutputs('OldEventsTableName'))).toEqual([]);
  });

  test('the stack names the deployed table in an output, for npm run events -- --migrate --stack', () => {
    const [id] = deployedEventsTable(template)!;
    template.hasOutput('OldEventsTableName', { Value: { Ref: id } });
  });

  test('a table name given is the deployed table’s; the new one is told apart by the design’s number', () => {
    const stack = new Stack(appWithoutBundling(), 'Named');
    new EventsTable(stack, 'Events', { overrides: { tableName: 'im-events' } });
    const names = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table')).map((table) => table.Properties.TableName);
    expect(names.sort()).toEqual(['im-events', 'im-events-3']);
  });

  describe('the deployed table’s migration from the first design', () => {
    const sequence = [
      ['byGroup', 'byCommand'],
      ...migrationSteps.map((step) => indexesAt(step).map((index) => index.indexName)),
      indexesAt().map((index) => index.indexName),
    ];

    test('each step adds or removes exactly one index: one deploy each', () => {
      for (let i = 1; i < sequence.length; i += 1) {
        const [before, after] = [new Set(sequence[i - 1]), new Set(sequence[i])];
        const changed = [...before].filter((name) => !after.has(name)).length + [...after].filter((name) => !before.has(name)).length;
        expect({ step: i, changed }).toEqual({ step: i, changed: 1 });
      }
    });

    test.each(migrationSteps.map((step) => [step]))('-c eventsTableMigrationStep=%s builds that step, the legacy indexes unchanged (ALL)', (step) => {
      const [, table] = deployedEventsTable(synthOnce({ eventsTableMigrationStep: String(step) }).template)!;
      expect(indexNames(table)).toEqual(indexesAt(step).map((index) => index.indexName));
      for (const index of table.Properties.GlobalSecondaryIndexes) {
        if (index.IndexName === 'byGroup' || index.IndexName === 'byCommand') expect(index.Projection).toEqual({ ProjectionType: 'ALL' });
      }
    });

    test('a wrong step stops the synth with a message that names the setting', () => {
      expect(() => synthOnce({ eventsTableMigrationStep: '7' })).toThrow(/eventsTableMigrationStep .*must be one of 1, 2, 3/);
    });

    test('the construct checks its options up front, whoever builds it', () => {
      const stack = new Stack(appWithoutBundling(), 'Tables');
      expect(() => new EventsTable(stack, 'Events', { migrationStep: 7 as never })).toThrow('EventsTable: migrationStep must be one of 1, 2, 3');
      expect(() => new EventsTable(stack, 'Both', { migrationStep: 1, retireDeployedTable: true })).toThrow(/retireDeployedTable leaves out/);
    });
  });
});
