// File ids and where their bytes live.
//
// A file id is `<group>-<n>-<r>`: the storage group, the numeric id n in base 36 and 12 random
// characters of a-z2-7 (60 bits): URL- and subject-safe, and not guessable from a neighbour's id.
// n is allocated per group (ids.ts, key = group name), so it is unique within the group, and every
// node of the group stores the file at the same path.
//
// The path derives from n alone, in the seed's 512-ary three-level layout (its `id512`: n read as
// four base-512 digits aaa bbb ccc ddd):
//
//   ddd = n mod 512, ccc = (n div 512) mod 512, bbb = (n div 512^2) mod 512, aaa = n div 512^3
//   <root>/<aaa>/<bbb>/<ccc>/<ddd>        each part decimal, zero-padded to 3 digits
//
// (the file holds the bytes followed by their metadata: files.ts; files stored by earlier versions
// keep theirs beside it in `<ddd>.meta`)
//
// so a leaf directory holds at most 512 files and each level at most 512 directories (aaa grows
// past 511 only beyond 512^4 ≈ 6.9e10 files). Nothing but digits reaches the file system, so path
// traversal is impossible by construction.
import path from 'node:path';
import { randomFillSync } from 'node:crypto';
import { FILE_ID_PATTERN, GROUP_NAME_PATTERN } from '../protocol/mod.ts';

const FILE_ID = new RegExp(FILE_ID_PATTERN);
const GROUP = new RegExp(GROUP_NAME_PATTERN);
const RANDOM_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export interface ParsedFileId {
  group: string;
  /** The numeric id: the only input to the path. */
  n: number;
  /** The random part. */
  r: string;
}

export function isGroupName(group: string): boolean {
  return GROUP.test(group);
}

/** Random bytes drawn for many ids at once: a draw per id was 5 % of a node's CPU on 4 KiB uploads. */
const pool = Buffer.alloc(12 * 256);
let poolAt = pool.length;

/** 12 characters of a-z2-7 (32 symbols, so a byte masked to 5 bits is unbiased). */
export function randomPart(): string {
  if (poolAt + 12 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  let out = '';
  for (let i = poolAt; i < poolAt + 12; i++) out += RANDOM_ALPHABET[pool[i] & 31];
  // each byte serves one id only
  poolAt += 12;
  return out;
}

export function formatFileId(group: string, n: number, r: string = randomPart()): string {
  if (!isGroupName(group)) throw new Error(`bad group name ${JSON.stringify(group)}`);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`bad numeric file id ${n}`);
  const id = `${group}-${n.toString(36)}-${r}`;
  if (!FILE_ID.test(id)) throw new Error(`bad random part ${JSON.stringify(r)}`);
  return id;
}

/** Parses a file id; null for anything malformed (including non-canonical or unsafe numbers). */
export function parseFileId(id: unknown): ParsedFileId | null {
  if (typeof id !== 'string' || id.length > 57) return null;
  const m = FILE_ID.exec(id);
  if (!m) return null;
  const n = parseInt(m[2], 36);
  // the pattern already forbids leading zeros; this catches numbers past 2^53
  if (!Number.isSafeInteger(n) || n < 1 || n.toString(36) !== m[2]) return null;
  return { group: m[1], n, r: m[3] };
}

const pad = (x: number) => String(x).padStart(3, '0');

/** `aaa/bbb/ccc/ddd` for n, relative to a node's files root. */
export function relativeFilePath(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`bad numeric file id ${n}`);
  const ddd = n % 512;
  const ccc = Math.floor(n / 512) % 512;
  const bbb = Math.floor(n / 512 ** 2) % 512;
  const aaa = Math.floor(n / 512 ** 3);
  return path.join(pad(aaa), pad(bbb), pad(ccc), pad(ddd));
}

/** Absolute path of n's bytes under `root`. */
export function filePath(root: string, n: number): string {
  return path.join(root, relativeFilePath(n));
}
