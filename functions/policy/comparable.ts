/**
 * Only strings and numbers are compared: an absent field, or an object where a string was expected,
 * matches nothing, so a rule never refuses on data it cannot read (Tencent's own default is to allow).
 * A module of its own: reply templates (read at load, by the schema's checks) fill from it too.
 */
export const comparable = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
