/**
 * The last millisecond an ISO time of four-digit years names (9999-12-31T23:59:59.999Z): a later time
 * has no sortable ISO form (toISOString writes `+010000-…`). The `EventTime` schema refuses a later
 * time, and the store's time keys never hold one.
 */
export const LATEST_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
