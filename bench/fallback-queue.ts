import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';

export interface FallbackQueue {
  /** The endpoint the functions send to (AWS_ENDPOINT_URL_SQS). */
  readonly endpoint: string;
  /** The fallback queue's URL (FALLBACK_QUEUE_URL). */
  readonly queueUrl: string;
  /** After-events the functions queued because the table was slow: they count as kept. */
  queued(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The fallback queue on loopback (fauxqs): the deployed callback function always has one, and the
 * bench runs it as deployed, SQS client included. Only a slow table sends anything there.
 */
export async function startFallbackQueue(): Promise<FallbackQueue> {
  const server = await startFauxqs({ port: 0, logger: false });
  const sqs = new SQSClient({ endpoint: server.address, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench-fallback' }));
  // fauxqs names queues sqs.<region>.localhost, which only some resolvers know; the path is what it routes on.
  const queueUrl = `${server.address}${new URL(QueueUrl).pathname}`;
  return {
    endpoint: server.address,
    queueUrl,
    async queued() {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    },
    async close() {
      sqs.destroy();
      await server.stop();
    },
  };
}
