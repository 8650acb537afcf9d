/**
 * A JSON object, as a body or one of its fields must be to have named fields: not null, not an
 * array. Everything read from a sender goes through this before its fields are read.
 */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
