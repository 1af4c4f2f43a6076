// The bench's servers, in their own process so they do not share the client's event loop:
// an MC-NMF echo endpoint and a raw TCP echo. Prints their ports as one JSON line, then serves
// until stdin closes (so it dies with the bench).

import { createServer } from 'node:net';
import { startEchoEndpoint } from '../host/echo-endpoint.ts';

const echo = await startEchoEndpoint({ maxEnvelope: 1 << 20 });
const raw = createServer((s) => {
  s.setNoDelay(true);
  s.on('error', () => s.destroy());
  s.pipe(s);
});
await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
process.stdout.write(
  `${JSON.stringify({ nettcp: echo.port, raw: (raw.address() as { port: number }).port })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  raw.close();
  void echo.close().then(() => process.exit(0));
});
