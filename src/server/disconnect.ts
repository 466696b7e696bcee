import type { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';

/** Why a request's work was dropped: its client closed the connection, so no one awaits the answer. */
export class ClientGone extends Error {
  constructor() {
    super('the client closed the connection before the answer');
    this.name = 'ClientGone';
  }
}

/**
 * A signal that aborts (with a `ClientGone`) when the client closes the connection before its answer is
 * complete: a browser reload, a script's timeout or a proxy's. Fastify's own `request.signal` will not
 * do: it aborts as soon as the request's body has been read (the request stream's `close`, on Node 20).
 * Nor will the response's `close` alone: Node emits it on the response the connection is writing, not on
 * that of a request pipelined behind it. So the connection is heard: its `end` (the client is done
 * sending, and Node's server then ends the connection, so no later answer can reach it; heard in the poll
 * that reads it, where `close` comes turns of the event loop later) and its `close`.
 */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const [res, socket] = [reply.raw, reply.request.raw.socket];
  const gone = () => {
    res.off('close', gone);
    owed.get(socket)?.delete(gone);
    if (!res.writableFinished) controller.abort(new ClientGone());
  };
  if (res.destroyed || socket.destroyed || socket.readableEnded) gone();
  else {
    res.once('close', gone);
    owedOn(socket).add(gone);
  }
  return controller.signal;
}

/**
 * What to call when a connection ends or closes, for each of its requests still owed an answer: one
 * listener of each a connection, not one a request (dozens of pipelined requests made Node warn of a leak).
 */
const owed = new WeakMap<Socket, Set<() => void>>();

function owedOn(socket: Socket): Set<() => void> {
  let callbacks = owed.get(socket);
  if (callbacks === undefined) {
    const all = (callbacks = new Set());
    const call = () => all.forEach((f) => f());
    socket.once('end', call).once('close', call);
    owed.set(socket, all);
  }
  return callbacks;
}
