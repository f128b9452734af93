// A small typed event emitter. The client library runs in Node and in the browser (the web
// client bundles it), and node:events is not there in the browser; on/off/once/emit is all the
// library and its users need.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;

export class Emitter<Events extends { [name: string]: unknown[] }> {
  private readonly listeners = new Map<keyof Events, Listener[]>();

  on<K extends keyof Events>(event: K, fn: (...args: Events[K]) => void): this {
    const list = this.listeners.get(event);
    if (list) list.push(fn);
    else this.listeners.set(event, [fn]);
    return this;
  }

  off<K extends keyof Events>(event: K, fn: (...args: Events[K]) => void): this {
    const list = this.listeners.get(event);
    if (!list) return this;
    const i = list.findIndex((l) => l === fn || (l as Listener & { inner?: Listener }).inner === fn);
    if (i >= 0) list.splice(i, 1);
    if (!list.length) this.listeners.delete(event);
    return this;
  }

  once<K extends keyof Events>(event: K, fn: (...args: Events[K]) => void): this {
    const wrapper = ((...args: Events[K]) => {
      this.off(event, wrapper);
      fn(...args);
    }) as Listener & { inner?: Listener };
    wrapper.inner = fn;
    return this.on(event, wrapper);
  }

  /** Calls the listeners in the order they were added; a listener that throws does not stop the others. */
  emit<K extends keyof Events>(event: K, ...args: Events[K]): boolean {
    const list = this.listeners.get(event);
    if (!list?.length) return false;
    for (const fn of [...list]) {
      try {
        fn(...args);
      } catch (e) {
        // like an uncaught exception in an event handler: reported, without breaking the emitter
        queueMicrotask(() => { throw e; });
      }
    }
    return true;
  }

  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** Lets a Node timer not keep the process alive; browsers' timers are numbers and need nothing. */
export function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}
