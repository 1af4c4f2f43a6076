// The benches' target: a net.tcp echo endpoint as a program of its own (`node bench/echo-target.ts PORT`),
// so the harness starts it as a suite's command target and it never shares the load's event loop.
// Its receive timeout covers only the preamble: idle sessions stay open as long as they like.

import { startEchoEndpoint } from '../host/echo-endpoint.ts';

const endpoint = await startEchoEndpoint({ port: Number(process.argv[2]), maxEnvelope: 1 << 20 });
process.stdout.write(`listening on ${endpoint.port}\n`);
const stop = () => void endpoint.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
