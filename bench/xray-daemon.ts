import { createSocket } from 'node:dgram';

export interface XrayDaemonStub {
  /** host:port, for AWS_XRAY_DAEMON_ADDRESS. */
  readonly address: string;
  /** Datagrams (trace segments) received so far. */
  received(): number;
  close(): Promise<void>;
}

/**
 * Where the children's X-Ray SDK sends trace segments: Lambda runs a daemon on loopback, so with
 * tracing on, sampled invocations do the same work as in Lambda and nothing leaves the machine.
 * The segments are counted and dropped.
 */
export async function startXrayDaemonStub(): Promise<XrayDaemonStub> {
  const socket = createSocket('udp4');
  let received = 0;
  socket.on('message', () => received++);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    received: () => received,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
