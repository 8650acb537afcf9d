import { settingsFromEnvironment } from '../settings.ts';
import { documentClient, DynamoDbEventStore } from '../store/dynamodb-event-store.ts';
import { createCallbackHandler } from './chain.ts';

/**
 * The Lambda entry point. Settings and the DynamoDB client are built once per cold start; the stack
 * sets the environment (settingsToEnvironment, EVENTS_TABLE_NAME).
 */
const tableName = process.env.EVENTS_TABLE_NAME;
if (!tableName) throw new Error('EVENTS_TABLE_NAME is not set: the stack sets it to the events table');

export const handler = createCallbackHandler({
  settings: settingsFromEnvironment(process.env),
  store: new DynamoDbEventStore(documentClient(), tableName),
});
