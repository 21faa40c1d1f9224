/**
 * A TCP proxy in front of the PostgreSQL server that a test can cut and restore, to take the
 * database away from a running server without touching the database server itself.
 *
 * @example
 *   const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
 *   await proxy.cut();      // every open connection dropped, new ones refused
 *   await proxy.restore();  // listening again on the same port
 *   proxy.drop();           // open connections stop carrying bytes but stay open (lost NAT state)
 *   proxy.heal();           // new connections are forwarded again; the dropped ones stay dead
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Destroys every open connection and stops listening: new connections are refused. */
  cut(): Promise<void>;
  /**
   * Drops every open connection but keeps accepting new ones without ever forwarding a byte: a
   * database host that stopped answering (a network partition), not one that refuses.
   */
  silence(): void;
  /**
   * Stops forwarding without closing anything, as a lost firewall or NAT state does: open
   * connections stay open on both sides and carry no more bytes, in either direction; new
   * connections are accepted and carry nothing either. Neither end hears of it.
   */
  drop(): void;
  /**
   * The network is back: new connections are forwarded again. The connections that were open
   * during the drop stay silent and open (their state is lost), until `close`.
   */
  heal(): void;
  /** Listens again on the same port, forwarding again. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(upstream: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let server: Server | undefined;
  let silent = false;
  let dropping = false;
  /** Each forwarded connection's two ends, to stop the forwarding without closing them. */
  const pairs = new Map<Socket, Socket>();
  /** Connections that were open when the traffic dropped: open, silent, never forwarded again. */
  const lost = new Set<Socket>();
  /** Keeps a socket open while reading and discarding whatever arrives on it. */
  const blackhole = (socket: Socket) => {
    sockets.delete(socket);
    lost.add(socket);
    socket.on('close', () => lost.delete(socket));
    socket.on('data', () => {});
    socket.resume();
  };

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer((client) => {
        accepted++;
        sockets.add(client);
        client.on('close', () => sockets.delete(client));
        client.on('error', () => client.destroy());
        if (silent) return;
        if (dropping) return blackhole(client);
        const backend = createConnection(upstream);
        pairs.set(client, backend);
        client.on('close', () => pairs.delete(client));
        sockets.add(backend);
        backend.on('close', () => sockets.delete(backend));
        // A cut connection errors on either side; the other side goes with it.
        backend.on('error', () => client.destroy());
        client.on('error', () => backend.destroy());
        client.pipe(backend);
        backend.pipe(client);
      });
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        server = next;
        resolve((next.address() as { port: number }).port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = undefined;
      for (const socket of lost) socket.destroy();
      lost.clear();
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!current) return resolve();
      current.close(() => resolve());
    });

  const port = await listen(0);
  return {
    port,
    accepted: () => accepted,
    cut: stop,
    silence: () => {
      silent = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    drop: () => {
      dropping = true;
      for (const [client, backend] of pairs) {
        client.unpipe(backend);
        backend.unpipe(client);
        blackhole(client);
        blackhole(backend);
      }
      pairs.clear();
    },
    heal: () => {
      dropping = false;
    },
    restore: async () => {
      silent = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server) await listen(port);
    },
    close: stop,
  };
}
