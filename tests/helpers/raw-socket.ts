// A raw TCP client that performs the WebSocket upgrade by hand, so tests can
// write frames no WebSocket library would send.
import { connect as tcpConnect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface RawUpgrade {
  socket: Socket;
  /** The status line and headers of the server's answer. */
  head: string;
  status: number;
  /** Resolves when the server closes or resets the connection. */
  ended: Promise<void>;
}

/** Connects and sends an upgrade request for `path`; resolves once the server answered the upgrade. */
export function rawUpgrade(port: number, path: string): Promise<RawUpgrade> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    const ended = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => {}); // resets are what these tests provoke
    socket.once('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const head = buffer.subarray(0, end).toString('latin1');
      const status = Number(head.split(' ')[1]);
      resolve({ socket, head, status, ended });
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed before the upgrade was answered')));
  });
}

/** A client frame: FIN + opcode, masked (as clients must) unless `masked` is false. */
export function frame(opcode: number, payload: Uint8Array, options: { masked?: boolean; fin?: boolean } = {}): Buffer {
  const masked = options.masked ?? true;
  const fin = options.fin ?? true;
  const len = payload.length;
  const header: number[] = [(fin ? 0x80 : 0) | (opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) header.push(maskBit | len);
  else if (len < 65536) header.push(maskBit | 126, len >> 8, len & 0xff);
  else {
    header.push(maskBit | 127, 0, 0, 0, 0);
    header.push((len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
  }
  if (!masked) return Buffer.concat([Buffer.from(header), Buffer.from(payload)]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from(header), mask, body]);
}
