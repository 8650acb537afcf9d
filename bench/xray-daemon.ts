import { createSocket } from 'node:dgram';

export interface XrayDaemonStub {
  /** host:port, for AWS_XRAY_DAEMON_ADDRESS. */
  readonly address: string;
  /** Datagrams (trace segments) received so far. */
  received(): number;
  /** The segment documents received so far, parsed (each datagram is a header line, then the document). */
  documents(): Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * Where the children's X-Ray SDK sends trace segments: Lambda runs a daemon on loopback, so with
 * tracing on, sampled invocations do the same work as in Lambda and nothing leaves the machine.
 * The segments are counted, and kept for the tests that read them.
 */
export async function startXrayDaemonStub(): Promise<XrayDaemonStub> {
  const socket = createSocket('udp4');
  let received = 0;
  const documents: Buffer[] = [];
  socket.on('message', (message) => {
    received++;
    documents.push(message);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    received: () => received,
    // Parsed when asked, so the benchmarks, which only count, pay nothing per datagram.
    documents: () => documents.map((message) => JSON.parse(message.toString('utf8').split('\n').slice(1).join('\n')) as Record<string, unknown>),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
