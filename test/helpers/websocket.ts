// The smallest WebSocket client the DevTools protocol needs (RFC 6455: handshake, masked text
// frames out, unmasked text frames in, ping, close). Node 20 has no WebSocket client without a
// flag, and the project takes no dependency for a test helper.
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import type { Socket } from "node:net";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export interface TextSocket {
  send(text: string): void;
  close(): void;
}

/** Connects to a ws:// URL; `onText` gets each whole text message, `onClose` once at the end. */
export function connectWebSocket(url: string, onText: (text: string) => void, onClose: (why: string) => void): Promise<TextSocket> {
  const u = new URL(url);
  const key = randomBytes(16).toString("base64");
  return new Promise((resolve, reject) => {
    const req = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      headers: { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Key": key, "Sec-WebSocket-Version": "13" },
    });
    req.on("error", reject);
    req.on("response", (res) => reject(new Error(`WebSocket handshake refused: HTTP ${res.statusCode}`)));
    req.on("upgrade", (res, socket: Socket, head: Buffer) => {
      const expected = createHash("sha1")
        .update(key + GUID)
        .digest("base64");
      if (res.headers["sec-websocket-accept"] !== expected) {
        socket.destroy();
        reject(new Error("WebSocket handshake: wrong Sec-WebSocket-Accept"));
        return;
      }
      socket.setNoDelay(true);
      const reader = new FrameReader(socket, onText, onClose);
      if (head.length > 0) reader.push(head);
      socket.on("data", (chunk: Buffer) => reader.push(chunk));
      socket.on("close", () => reader.closed("socket closed"));
      socket.on("error", (e) => reader.closed(e.message));
      resolve({
        send: (text) => socket.write(frame(0x1, Buffer.from(text, "utf8"))),
        close: () => {
          if (!socket.destroyed) socket.end(frame(0x8, Buffer.alloc(0)));
        },
      });
    });
    req.end();
  });
}

/** A client frame: FIN set, always masked, as the RFC requires of clients. */
function frame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const n = payload.length;
  const head = n < 126 ? Buffer.alloc(2) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  if (n < 126) head[1] = 0x80 | n;
  else if (n < 65536) {
    head[1] = 0x80 | 126;
    head.writeUInt16BE(n, 2);
  } else {
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  const body = Buffer.alloc(n);
  for (let i = 0; i < n; i++) body[i] = payload[i]! ^ mask[i % 4]!;
  return Buffer.concat([head, mask, body]);
}

class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private done = false;

  constructor(
    private readonly socket: Socket,
    private readonly onText: (text: string) => void,
    private readonly onClose: (why: string) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const f = this.next();
      if (!f) return;
      this.handle(f.fin, f.opcode, f.payload);
    }
  }

  closed(why: string): void {
    if (this.done) return;
    this.done = true;
    this.onClose(why);
  }

  /** One whole frame off the buffer, or undefined until more bytes arrive. */
  private next(): { fin: boolean; opcode: number; payload: Buffer } | undefined {
    const b = this.buffer;
    if (b.length < 2) return undefined;
    const masked = (b[1]! & 0x80) !== 0;
    let len = b[1]! & 0x7f;
    let at = 2;
    if (len === 126) {
      if (b.length < 4) return undefined;
      len = b.readUInt16BE(2);
      at = 4;
    } else if (len === 127) {
      if (b.length < 10) return undefined;
      len = Number(b.readBigUInt64BE(2));
      at = 10;
    }
    const maskAt = at;
    if (masked) at += 4;
    if (b.length < at + len) return undefined;
    const payload = Buffer.from(b.subarray(at, at + len));
    if (masked) for (let i = 0; i < len; i++) payload[i] = payload[i]! ^ b[maskAt + (i % 4)]!;
    this.buffer = b.subarray(at + len);
    return { fin: (b[0]! & 0x80) !== 0, opcode: b[0]! & 0x0f, payload };
  }

  private handle(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === 0x9) this.socket.write(frame(0xa, payload));
    else if (opcode === 0x8) {
      this.socket.end();
      this.closed("closed by the browser");
    } else if (opcode === 0x1 || opcode === 0x0) {
      this.parts.push(payload);
      if (fin) {
        const text = Buffer.concat(this.parts).toString("utf8");
        this.parts = [];
        this.onText(text);
      }
    }
  }
}
