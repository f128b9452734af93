import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { Encoded } from '../gateway/outbound.ts';

test('a WebSocket frame made once is read by a ws client as the text, at every length encoding', async () => {
  // 7-bit, 16-bit and 64-bit lengths and their edges, and multi-byte characters
  const texts = [0, 1, 125, 126, 127, 300, 65535, 65536, 70_000].map((n) => 'x'.repeat(n));
  texts.push(JSON.stringify({ op: 'chat.message', body: 'é😀'.repeat(40) }));
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send('before');
      for (const t of texts) socket.write(new Encoded(t).wsFrame);
      ws.send('after');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  let client: WebSocket | undefined;
  try {
    const got: string[] = [];
    client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await new Promise<void>((resolve, reject) => {
      client!.on('message', (data, isBinary) => {
        assert.not.ok(isBinary);
        got.push(data.toString());
        if (got.length === texts.length + 2) resolve();
      });
      client!.on('error', reject);
      client!.on('close', () => reject(new Error('closed early')));
    });
    assert.equal(got, ['before', ...texts, 'after']);
  } finally {
    client?.terminate();
    wss.close();
    await new Promise((r) => server.close(r));
  }
});

test.run();
