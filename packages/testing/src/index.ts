export { freePort } from './free-port.js';
export { spawnServer } from './spawn-server.js';
export type { SpawnedServer } from './spawn-server.js';
