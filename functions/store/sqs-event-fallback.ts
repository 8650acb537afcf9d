import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { EventFallback, EventKey, StoredEvent } from './event-store.ts';
import { keptEventText } from './kept-event.ts';

/**
 * The fallback in AWS: the event as an SQS message, which the drain function (functions/drain/)
 * writes to the table with the same idempotent put. SQS keeps it, encrypted, until then.
 */
export class SqsEventFallback implements EventFallback {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(client: SQSClient, queueUrl: string) {
    this.#client = client;
    this.#queueUrl = queueUrl;
  }

  async keep(event: StoredEvent, key?: EventKey): Promise<void> {
    await this.#client.send(new SendMessageCommand({ QueueUrl: this.#queueUrl, MessageBody: keptEventText(event, key) }));
  }
}
