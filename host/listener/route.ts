// A registered path as the listener holds it: served by worker processes, or forwarded to an upstream.

import type { ForwardRoute } from './forward-route.ts';
import type { ServiceRoute } from './service-route.ts';

// Either kind of route; both route connections, pause, resume, report status and close.
export type Route = ServiceRoute | ForwardRoute;
