export { LegacyEventReader as DynamoDbEventReader } from '../legacy/legacy-event-reader.ts';
