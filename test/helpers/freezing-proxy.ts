import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that forwards both ways until freeze(), then forwards nothing more
 * while keeping every socket open: a network path that hangs without an error (a stuck proxy or
 * load balancer), which TCP keepalive cannot see. `freezeAfter` freezes it by itself once that
 * many bytes went in the given direction.
 */
export interface FreezingProxy {
  port: number;
  /** Bytes forwarded client → server and server → client. */
  bytes: { up: number; down: number };
  frozen: boolean;
  freeze(): void;
  close(): Promise<void>;
}

export async function freezingProxy(
  target: { host: string; port: number },
  freezeAfter?: { direction: 'up' | 'down'; bytes: number },
): Promise<FreezingProxy> {
  const sockets = new Set<net.Socket>();
  const p: FreezingProxy = {
    port: 0,
    bytes: { up: 0, down: 0 },
    frozen: false,
    freeze: () => {
      p.frozen = true;
      // Paused sockets read nothing more: the peers' writes back up, as through a hung proxy.
      for (const s of sockets) s.pause();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
  const forward = (from: net.Socket, to: net.Socket, direction: 'up' | 'down') => {
    from.on('data', (d: Buffer) => {
      if (p.frozen) return;
      p.bytes[direction] += d.length;
      to.write(d);
      if (freezeAfter && freezeAfter.direction === direction && p.bytes[direction] >= freezeAfter.bytes) p.freeze();
    });
    from.on('error', () => undefined);
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    if (p.frozen) {
      client.pause();
      upstream.pause();
    }
    forward(client, upstream, 'up');
    forward(upstream, client, 'down');
    // Closing one side is forwarded only while not frozen: a frozen path never says goodbye.
    client.on('close', () => !p.frozen && upstream.destroy());
    upstream.on('close', () => !p.frozen && client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  p.port = (server.address() as net.AddressInfo).port;
  return p;
}
