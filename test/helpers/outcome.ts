// What a request came to, as one word for assertions: 'ok', or the error code it failed with.
import { TroupeError } from '../../protocol/mod.ts';

export async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof TroupeError ? e.code : String(e);
  }
}

/** The code and, when it has one, the finer reason a request failed with (`forbidden/not_member`). */
export async function codeAndReason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof TroupeError ? (e.reason ? `${e.code}/${e.reason}` : e.code) : String(e);
  }
}
