// Stopping a socket's reads while its handle is shared between processes, and starting them again.
// Node has no public way to do this: pause() only stops 'data' events, and the stream keeps reading into
// its own buffer up to the high-water mark (16 KiB), so a listener that only paused would steal the bytes
// that follow the preamble from the worker it hands the socket to. Node's own pause() of an `onread`
// socket calls the handle's readStop(); this does the same for any socket.

import type { Socket } from 'node:net';

type StreamHandle = { reading: boolean; readStart(): number; readStop(): number };

const handleOf = (socket: Socket): StreamHandle | undefined =>
  (socket as unknown as { _handle: StreamHandle | null })._handle ?? undefined;

// Stops reading from the kernel until resumeReading. The handle's `reading` flag stays set, so the
// stream's own read requests (it makes them whenever its buffer runs low) do not start it again.
export const stopReading = (socket: Socket): void => {
  socket.pause();
  const h = handleOf(socket);
  if (h === undefined) return;
  h.reading = true;
  h.readStop();
};

// Starts reading again, and lets 'data' flow. The stream may still count a read request of its own as
// outstanding (made before stopReading), so the handle is started here rather than left to the stream.
export const resumeReading = (socket: Socket): void => {
  const h = handleOf(socket);
  if (h === undefined) return;
  h.reading = true;
  h.readStart();
  socket.resume();
};
