import t from 'tap';
import { startRemoteTarget } from '../../../harness/target/remote-target.ts';

t.test('a remote target is looked up, never started: no process, and stopping it leaves it be', async (t) => {
  const target = await startRemoteTarget(
    { url: ['net.tcp://localhost:8808/orders', 'net.tcp://127.0.0.1:9/x'] },
    { allowRemote: false },
  );
  t.match(target, { kind: 'remote', host: 'localhost', ip: /^(127\.|::1)/, port: 8808, pid: undefined });
  t.same(target.urls, ['net.tcp://localhost:8808/orders', 'net.tcp://127.0.0.1:9/x']);
  t.same(await target.pids(), []);
  t.ok(target.running());
  await target.stop();
  t.same(await target.exited, { code: null, signal: null });
  const plain = await startRemoteTarget({ url: ['net.tcp://127.0.0.1/'] }, { allowRemote: false });
  t.equal(plain.port, 808, 'net.tcp’s port when none is named');
});

t.test('outside loopback it needs allowRemote: the run cannot start', async (t) => {
  await t.rejects(startRemoteTarget({ url: ['net.tcp://192.0.2.7:808/'] }, { allowRemote: false }), {
    code: 'TARGET_START',
    message: /192\.0\.2\.7 resolves to 192\.0\.2\.7, which is not loopback/,
  });
});
