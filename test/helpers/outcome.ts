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
