import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseConfig, helpText, ConfigError, optionGroups } from '../lib/mod.ts';

test('defaults, then environment, then flags', () => {
  assert.is(parseConfig(['gateway'], [], {}, {}).config.tcpPort, 7070);
  assert.is(parseConfig(['gateway'], [], {}, { TROUPE_TCP_PORT: '7100' }).config.tcpPort, 7100);
  assert.is(parseConfig(['gateway'], ['--tcp-port', '7200'], {}, { TROUPE_TCP_PORT: '7100' }).config.tcpPort, 7200);
  assert.is(parseConfig(['gateway'], ['--tcp-port=7300'], {}, {}).config.tcpPort, 7300);
});

test('bad values are refused with the setting named', () => {
  const bad: [string[], Record<string, string>, RegExp][] = [
    [['--tcp-port', 'abc'], {}, /--tcp-port: expected a whole number/],
    [['--tcp-port', '70000'], {}, /at most 65535/],
    [[], { TROUPE_MAX_FRAME_BYTES: '10' }, /TROUPE_MAX_FRAME_BYTES: must be at least 256/],
    [['--no-such-flag'], {}, /Unknown option '--no-such-flag'/],
  ];
  for (const [argv, env, re] of bad) {
    try {
      parseConfig(['gateway'], argv, {}, env);
      assert.unreachable(argv.join(' '));
    } catch (e) {
      assert.instance(e, ConfigError);
      assert.match((e as Error).message, re);
    }
  }
  try {
    parseConfig(['common'], ['--log-level', 'loud'], {}, {});
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /must be one of/);
  }
});

test('a command only accepts the flags of its groups', () => {
  assert.throws(() => parseConfig(['client'], ['--tcp-port', '1'], {}, {}), /Unknown option/);
});

test('help lists every setting of the groups with its variable; secrets are not printed', () => {
  const text = helpText('troupe x', 'does x', ['nats', 'gateway']);
  for (const k of Object.keys(optionGroups.gateway)) assert.ok(text.includes('--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())), k);
  assert.ok(text.includes('TROUPE_NATS_GATEWAY_PASSWORD'));
  assert.not.ok(text.includes('dev-gateway-secret'));
});

test.run();
