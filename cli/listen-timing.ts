/**
 * How long listen waits for what it posts to and how long SQS hides what it received, written once:
 * the second follows from the first.
 */

/** A post to a local target (--forward-to, the inspector) that takes longer is given up: the next event is not held up for long. */
export const POST_TIMEOUT_MS = 10_000;

/** The most posts one event costs: --forward-to's, then the inspector's post, a new token and the post again (listen-inspector.ts). */
const POSTS_PER_EVENT = 4;

/** How long a receive waits for events (the queue's long polling); Ctrl-C ends it at once (the request is aborted). */
export const RECEIVE_WAIT_SECONDS = 20;

/** Messages one receive takes: SQS's most. */
export const RECEIVE_MAX_MESSAGES = 10;

/**
 * How long a received message stays hidden from the next receives (the queue's VisibilityTimeout):
 * a whole batch shown with every post hanging to its timeout, and a minute to delete it. With SQS's
 * default of 30 s, a hung inspector or --forward-to target made SQS hand the batch out again, and
 * listen printed and forwarded its events twice.
 */
export const VISIBILITY_TIMEOUT_SECONDS = (RECEIVE_MAX_MESSAGES * POSTS_PER_EVENT * POST_TIMEOUT_MS) / 1000 + 60;
