// A worker process: forked by the listener with an IPC channel, serves one service path. It is told
// its service with `init`, answers `hello`, and from then on takes the connections handed to it.
// It exits when the listener goes away (even by SIGKILL: the IPC channel closes and 'disconnect' fires).

import { Socket } from 'node:net';
import type { FromWorker, ToWorker } from '../ipc.ts';
import { burn } from './operations.ts';
import { Service } from './service.ts';

if (process.send === undefined) {
  process.stderr.write('host/worker/main.ts is started by the host listener (it needs an IPC channel)\n');
  process.exit(2);
}

const send = (m: FromWorker, then?: () => void): void => {
  if (!process.connected) {
    then?.();
    return;
  }
  process.send!(m, undefined, {}, () => then?.());
};

const exit = (code: number): void => process.exit(code);

let service: Service | undefined;

const answer = async (req: number, work: () => unknown): Promise<void> => {
  let result: unknown;
  try {
    result = await work();
  } catch (e) {
    result = { error: String(e) };
  }
  send({ type: 'reply', req, result });
};

const onMessage = (m: ToWorker, handle: unknown): void => {
  if (m.type === 'init') {
    service = new Service(m.init, send, exit);
    send({ type: 'hello' });
    service.activate(m.init.activation);
    return;
  }
  const svc = service;
  if (svc === undefined) return;
  switch (m.type) {
    case 'activate':
      svc.activate(m.activation);
      break;
    case 'dispatch':
      // Without a socket the listener gave up before Node could pass the handle: nothing to take.
      if (handle instanceof Socket) svc.intake.add(m.id, handle, m.bytes);
      break;
    case 'go':
      svc.intake.go(m.id);
      break;
    case 'cancel':
      svc.intake.cancel(m.id);
      break;
    case 'unregistered':
      svc.unregistered();
      break;
    case 'drain':
      svc.drain(m.timeoutMs);
      break;
    case 'set-latency':
      svc.setLatency(m.operation, m.ms);
      break;
    case 'status':
      void answer(m.req, () => svc.report());
      break;
    case 'direct':
      void answer(m.req, async () => ({ port: await svc.openDirect() }));
      break;
    case 'burn':
      // Answer first, then block: the reply says the spike has begun.
      send({ type: 'reply', req: m.req, result: { pid: process.pid, ms: m.ms } }, () => burn(m.ms));
      break;
  }
};

process.on('message', onMessage);
process.on('disconnect', () => exit(0));
// The listener stops its workers; a terminal's Ctrl-C reaches the whole process group, workers included.
process.on('SIGINT', () => {});
