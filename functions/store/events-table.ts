export * from './legacy/legacy-table.ts';
