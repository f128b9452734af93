import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeFrame, FrameDecoder, parseEnvelope, TroupeError } from '../protocol/mod.ts';

const limits = { maxFrameBytes: 100, discardLimitBytes: 1000 };

test('encodes a length-prefixed JSON frame and decodes it back', () => {
  const frame = encodeFrame({ op: 'ping', rid: 1 });
  assert.is(frame.readUInt32BE(0), frame.length - 4);
  const d = new FrameDecoder(limits);
  assert.equal(d.push(frame), [{ type: 'frame', text: '{"op":"ping","rid":1}' }]);
});

test('reassembles frames split at every byte and several frames in one chunk', () => {
  const a = encodeFrame({ op: 'a' });
  const b = encodeFrame({ op: 'b', x: 'é😀' });
  const all = Buffer.concat([a, b, a]);
  const d = new FrameDecoder(limits);
  const out = [];
  for (let i = 0; i < all.length; i++) out.push(...d.push(all.subarray(i, i + 1)));
  assert.equal(out.map((e) => (e as { text: string }).text), ['{"op":"a"}', '{"op":"b","x":"é😀"}', '{"op":"a"}']);
  assert.equal(new FrameDecoder(limits).push(all).length, 3);
});

test('skips an oversized frame and keeps decoding after it', () => {
  const big = Buffer.alloc(4 + 500);
  big.writeUInt32BE(500, 0);
  const d = new FrameDecoder(limits);
  const first = d.push(big.subarray(0, 50));
  assert.equal(first, [{ type: 'too_large', length: 500, fatal: false }]);
  assert.equal(d.push(big.subarray(50)), []);
  assert.equal(d.push(encodeFrame({ op: 'ok' })), [{ type: 'frame', text: '{"op":"ok"}' }]);
  assert.ok(d.pendingBytes < 10, 'skipped bytes are not buffered');
});

test('a length beyond the discard limit is fatal and input after it is ignored', () => {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(0xffffffff, 0);
  const d = new FrameDecoder(limits);
  assert.equal(d.push(head), [{ type: 'too_large', length: 0xffffffff, fatal: true }]);
  assert.equal(d.push(encodeFrame({ op: 'x' })), []);
});

test('empty frames and invalid UTF-8 are reported, not thrown', () => {
  const d = new FrameDecoder(limits);
  const bad = Buffer.from([0, 0, 0, 2, 0xc3, 0x28]);
  assert.equal(d.push(Buffer.concat([Buffer.alloc(4), bad])), [{ type: 'empty' }, { type: 'bad_utf8' }]);
});

test('envelopes: op and rid are checked, other fields pass through', () => {
  assert.equal(parseEnvelope('{"op":"auth.login","rid":3,"name":"a"}'), { op: 'auth.login', rid: 3, fields: { name: 'a' } });
  for (const [text, code] of [['nope', 'bad_json'], ['[1]', 'bad_json'], ['null', 'bad_json'], ['{"rid":1}', 'bad_request'], ['{"op":"x","rid":-1}', 'bad_request'], ['{"op":"x","rid":1.5}', 'bad_request'], ['{"op":"Bad Op"}', 'bad_request']] as const) {
    try {
      parseEnvelope(text);
      assert.unreachable(text);
    } catch (e) {
      assert.instance(e, TroupeError);
      assert.is((e as TroupeError).code, code, text);
    }
  }
});

test.run();
