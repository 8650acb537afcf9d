/**
 * The store tests' DynamoDB kinds: dynalite, and AWS's DynamoDB Local where the jest project asks for
 * it (`describeEachKind`). The servers themselves (`startDynamoDb`) are bench/dynamodb-servers.ts',
 * shared with the bench, which starts them outside jest.
 */

import { describe, test } from '@jest/globals';
import type { DynamoDbKind } from '../../bench/dynamodb-servers.ts';
import { whyNoDynamoDbLocal } from './dynamodb-local-process.ts';

export { type DynamoDbKind, type DynamoDbServer, type StartDynamoDbOptions, startDynamoDb } from '../../bench/dynamodb-servers.ts';

/**
 * The kinds this run tests, chosen per jest project (jest.config.js, `globals.dynamoDbKinds`): dynalite
 * in the unit and integration tiers, DynamoDB Local in the compatibility tier. A file run outside any
 * project that sets it runs on dynalite.
 */
const projectKinds: readonly DynamoDbKind[] = (globalThis as { dynamoDbKinds?: DynamoDbKind[] }).dynamoDbKinds ?? ['dynalite'];

/**
 * The kinds to run store tests against: the project's, less DynamoDB Local when Java 17 does not run
 * here. Then a warning says so: the DynamoDB Local tests are never skipped silently.
 */
const dynamoDbKinds: DynamoDbKind[] = projectKinds.filter((kind) => kind !== 'dynamodb-local' || whyNoDynamoDbLocal() === undefined);
if (dynamoDbKinds.length < projectKinds.length) console.warn(`DynamoDB Local tests are SKIPPED: ${whyNoDynamoDbLocal()}.`);

/**
 * `describe.each` over the kinds of this run, `%s` in the title naming the kind. A file that uses it
 * holds only per-kind tests: jest.config.js runs it again, on DynamoDB Local, in the compatibility
 * tier. Where DynamoDB Local cannot run, that tier shows one skipped test saying why.
 */
export function describeEachKind(title: string, tests: (kind: DynamoDbKind) => void): void {
  if (dynamoDbKinds.length === 0) {
    describe(title.replace('%s', 'dynamodb-local'), () => {
      test.skip(`SKIPPED: ${whyNoDynamoDbLocal()}`, () => undefined);
    });
    return;
  }
  describe.each(dynamoDbKinds)(title, tests);
}
