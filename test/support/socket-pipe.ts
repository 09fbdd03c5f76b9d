import type { Socket } from 'node:net';

/**
 * Pipes `client` and `upstream` both ways, keeping both in `open` while they are: when either
 * side errs or closes, the other is destroyed too, as a proxy's connection ends whole.
 */
export function pipeBothWays(client: Socket, upstream: Socket, open: Set<Socket>): void {
  for (const [socket, peer] of [
    [client, upstream],
    [upstream, client],
  ] as const) {
    open.add(socket);
    socket.on('error', () => peer.destroy());
    socket.on('close', () => {
      open.delete(socket);
      peer.destroy();
    });
    socket.pipe(peer);
  }
}
