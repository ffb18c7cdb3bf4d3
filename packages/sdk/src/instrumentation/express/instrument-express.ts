import { onModuleLoad } from '../module-hook.js';
import { patchExpress } from './patch-express.js';

/** Middleware, router and request handler spans for Express 4 and 5, and the route on the SERVER span. */
export function instrumentExpress(): void {
  onModuleLoad('express', patchExpress);
}
