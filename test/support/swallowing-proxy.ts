import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the store that can swallow the store's answers: requests still reach it and
 * writes land, but no answer comes back, as when the network drops them or the store hangs after
 * writing. A connection that lost part of an answer is cut when swallowing stops.
 */
export async function answerSwallowingProxy(target: string) {
  const { hostname, port } = new URL(target);
  let swallowing = false;
  const connections = new Set<{ client: Socket; upstream: Socket; tainted: boolean }>();
  const server: Server = createServer((client) => {
    const connection = { client, upstream: connect(Number(port), hostname), tainted: false };
    connections.add(connection);
    const end = () => {
      connections.delete(connection);
      client.destroy();
      connection.upstream.destroy();
    };
    client.on('data', (chunk) => connection.upstream.write(chunk));
    connection.upstream.on('data', (chunk) => {
      if (swallowing) connection.tainted = true;
      else client.write(chunk);
    });
    for (const socket of [client, connection.upstream]) {
      socket.on('close', end);
      socket.on('error', end);
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    swallow(on: boolean) {
      swallowing = on;
      if (!on) for (const connection of connections) if (connection.tainted) connection.client.destroy();
    },
    async close() {
      for (const connection of connections) connection.client.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
