/**
 * The events table construct: the design of functions/store/events-table.ts, the stream, the same
 * logical id as before it had a construct of its own, and the migration steps a deployed table goes
 * through (DynamoDB creates or deletes one index per update).
 */
import { describe, expect, test } from '@jest/globals';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { indexesAt, migrationSteps } from '../../functions/store/events-table.ts';
import { EventsTable } from '../../infra/events-table.ts';
import { appWithoutBundling, eventsTable, only } from '../support/stack-template.ts';
import { synthOnce } from './synth-once.ts';

/** The table of the stack synthesized with these `-c` values, read as infra/app.ts reads them. */
function tableOf(context: Record<string, unknown> = {}) {
  return eventsTable(synthOnce(context).template);
}

const indexNames = (table: ReturnType<typeof tableOf>[1]) =>
  (table.Properties.GlobalSecondaryIndexes as { IndexName: string }[]).map((index) => index.IndexName);

describe('EventsTable', () => {
  test('keeps the logical id the table had inside CallbackStack, so an update never replaces it', () => {
    // EventsD32975C2 is the id `new dynamodb.Table(stack, 'Events')` gave it: a new id would make
    // CloudFormation create an empty table and orphan the retained one.
    const [id] = eventsTable(synthOnce().template);
    expect(id).toBe('EventsD32975C2');
  });

  test('streams new images, for the consumers of each stored event', () => {
    expect(tableOf()[1].Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
  });

  test('its indexes carry keys and filter fields, never the payload', () => {
    for (const index of tableOf()[1].Properties.GlobalSecondaryIndexes) {
      expect(index.Projection.ProjectionType).toBe('INCLUDE');
      expect(index.Projection.NonKeyAttributes).not.toContain('payload');
    }
  });

  describe('the migration from the first design', () => {
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
      const [, table] = tableOf({ eventsTableMigrationStep: String(step) });
      expect(indexNames(table)).toEqual(indexesAt(step).map((index) => index.indexName));
      for (const index of table.Properties.GlobalSecondaryIndexes) {
        if (index.IndexName === 'byGroup' || index.IndexName === 'byCommand') expect(index.Projection).toEqual({ ProjectionType: 'ALL' });
      }
    });

    test('a wrong step stops the synth with a message that names the setting', () => {
      expect(() => tableOf({ eventsTableMigrationStep: '7' })).toThrow(/eventsTableMigrationStep .*must be one of 1, 2, 3/);
    });

    test('the construct checks its option up front, whoever builds it', () => {
      const stack = new Stack(appWithoutBundling(), 'Tables');
      expect(() => new EventsTable(stack, 'Events', { migrationStep: 7 as never })).toThrow('EventsTable: migrationStep must be one of 1, 2, 3');
      new EventsTable(stack, 'Current');
      expect(only(Template.fromStack(stack), 'AWS::DynamoDB::Table')[1].Properties.GlobalSecondaryIndexes).toHaveLength(2);
    });
  });
});
