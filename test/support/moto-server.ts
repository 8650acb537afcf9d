/**
 * moto's server (`python3 -m moto.server`), started on a free port for a test file and stopped by it:
 * Secrets Manager, SQS, EventBridge and more over their real HTTP APIs. The AWS SDK reaches it
 * through `endpoint` (or AWS_ENDPOINT_URL_<SERVICE> in a child's environment) with any credentials.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll } from '@jest/globals';

export interface MotoServer {
  /** e.g. `http://127.0.0.1:5123` */
  readonly endpoint: string;
  /** Environment for a child process whose AWS SDK should use this server for `services` (e.g. `SECRETS_MANAGER`). */
  environment(...services: string[]): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** Any region and credentials do; these keep the SDK from looking for real ones. */
export const motoRegion = 'eu-west-1';
export const motoCredentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const running = new Set<ChildProcess>();
// A test that fails before it stops the server must not leave it running (and jest waiting on it).
afterAll(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export async function startMotoServer(timeoutMs = 30_000): Promise<MotoServer> {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let output = '';
  child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto.server exited before it was ready:\n${output}`);
    const ready = await fetch(`${endpoint}/moto-api/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto.server did not answer on ${endpoint} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    environment: (...services) => ({
      AWS_REGION: motoRegion,
      AWS_ACCESS_KEY_ID: motoCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: motoCredentials.secretAccessKey,
      ...Object.fromEntries(services.map((service) => [`AWS_ENDPOINT_URL_${service}`, endpoint])),
    }),
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      running.delete(child);
    },
  };
}
