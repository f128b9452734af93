// The secrets file, <data-dir>/secrets.env: the generated secrets (NATS role passwords, the storage
// ticket secret) a deployment uses when no variable sets them. Created on first start with mode
// 0600, written whole to a temporary file and renamed into place, under a lock so processes started
// side by side agree on one set; reused from then on. Shell syntax on purpose: an operator can
// `. data/secrets.env` to use the nats CLI, or copy lines to another machine's environment.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import { generatedSecrets, resolveDataPath, ConfigError } from './config.ts';
import { withLock } from './lockfile.mjs';

export const SECRETS_FILE = 'secrets.env';

export function secretsPath(config: { dataDir: string }): string {
  return resolveDataPath(config, SECRETS_FILE);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = LETTERS + '0123456789';

/**
 * A letter, then 51 letters or digits: about 268 random bits, safe in shells, URLs and headers,
 * and read as a string when nats-server takes it from the environment (it parses a variable's
 * value like config text, so a value starting with a digit can turn into a number or fail).
 */
export function newSecret(): string {
  let s = LETTERS[randomInt(LETTERS.length)];
  for (let i = 0; i < 51; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

/** Every generated secret with a fresh value, by variable name (tests, benchmarks). */
export function randomSecrets(): Record<string, string> {
  return Object.fromEntries(generatedSecrets().map((s) => [s.env, newSecret()]));
}

const LINE = /^([A-Z][A-Z0-9_]*)=([\x21-\x7e]+)$/;

/** `NAME=value` lines; blank lines and `#` comments are skipped. */
export function parseSecrets(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) throw new ConfigError(`${file}:${i + 1}: expected NAME=value (a secret without spaces); fix the line or delete the file to generate new secrets`);
    out[m[1]] = m[2];
  });
  return out;
}

export function formatSecrets(values: Readonly<Record<string, string>>): string {
  const known = generatedSecrets();
  const lines = [
    '# Troupe secrets, generated on first start. Keep this file private (mode 600).',
    '# A variable of the same name in the environment wins over the value here.',
    '# Rotate: stop every troupe process, run `troupe secrets rotate`, start them again',
    '# (processes on other machines need the new values too: `troupe secrets env`).',
    '',
  ];
  for (const s of known) if (values[s.env]) lines.push(`# ${s.help}`, `${s.env}=${values[s.env]}`);
  for (const [name, value] of Object.entries(values)) if (!known.some((s) => s.env === name)) lines.push(`${name}=${value}`);
  return lines.join('\n') + '\n';
}

/** The file's secrets, or null when there is no file. Refuses a file other users can read. */
export function readSecretsFile(file: string): Record<string, string> | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new ConfigError(`${file} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}); make it private: chmod 600 ${file}`);
  }
  return parseSecrets(fs.readFileSync(file, 'utf8'), file);
}

function writeAtomically(file: string, text: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  const dfd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dfd);
  } finally {
    fs.closeSync(dfd);
  }
}

export interface LoadedSecrets {
  values: Record<string, string>;
  /** Variables generated just now (all of them on a first start). */
  generated: string[];
}

/** The stored secrets, generating (and storing) every generated secret the file lacks. */
export async function loadSecrets(file: string): Promise<LoadedSecrets> {
  const names = generatedSecrets().map((s) => s.env);
  const current = readSecretsFile(file);
  if (current && names.every((n) => current[n])) return { values: current, generated: [] };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  return withLock(`${file}.lock`, () => {
    const values = readSecretsFile(file) ?? {};
    const generated = names.filter((n) => !values[n]);
    for (const n of generated) values[n] = newSecret();
    if (generated.length) writeAtomically(file, formatSecrets(values));
    return { values, generated };
  });
}

/** Gives the named secrets (default: all) new values in the file; returns the names rotated. */
export async function rotateSecrets(file: string, only?: readonly string[]): Promise<string[]> {
  const names = generatedSecrets().map((s) => s.env);
  for (const n of only ?? []) if (!names.includes(n)) throw new ConfigError(`${n} is not a generated secret; choose from ${names.join(', ')}`);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  return withLock(`${file}.lock`, () => {
    const values = readSecretsFile(file) ?? {};
    const rotate = only?.length ? [...only] : names;
    for (const n of rotate) values[n] = newSecret();
    writeAtomically(file, formatSecrets(values));
    return rotate;
  });
}
