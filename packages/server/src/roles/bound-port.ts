import type { Server } from 'node:http';

/** The port a Fastify app listens on (useful when configured as 0). */
export function boundPort(app: { server: Server }): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}
