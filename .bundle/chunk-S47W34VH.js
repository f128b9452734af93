import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  RepeatGate,
  TroupeError,
  counter,
  gauge,
  histogram,
  isErrorCode,
  logger,
  parseActorSubject,
  subjects,
  toWireError,
  validate
} from "./chunk-DBBPO6IK.js";

// actors/runtime/partition.ts
function fnv1a32(s) {
  let h = 2166136261;
  const bytes = new TextEncoder().encode(s);
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}
function partitionOf(kind, id, partitions) {
  return fnv1a32(`${kind}.${id}`) % partitions;
}
function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  h = Math.imul(h, 3266489909);
  h ^= h >>> 16;
  return h >>> 0;
}
function ownerOf(p, hosts) {
  let best;
  let bestScore = -1;
  for (const h of hosts) {
    const score = fmix32(fnv1a32(`${h}#${p}`));
    if (score > bestScore || score === bestScore && best !== void 0 && h < best) {
      best = h;
      bestScore = score;
    }
  }
  return best;
}

// actors/runtime/messages.ts
var enc = new TextEncoder();
var dec = new TextDecoder();
var TIMERS = "$timers";
function encodeJson(v) {
  return enc.encode(JSON.stringify(v));
}
function decodeJson(data) {
  return JSON.parse(dec.decode(data));
}
function okReply(body = {}) {
  return { ...body, ok: true };
}
function errorReply(code, message) {
  return { ok: false, error: { code, message } };
}
function isFinalReply(reply) {
  return !reply || reply.ok || FINAL_ERRORS.has(reply.error.code);
}
var FINAL_ERRORS = /* @__PURE__ */ new Set(["bad_request", "bad_json"]);
function unwrapReply(reply) {
  if (reply.ok) {
    const { ok: _ok, ...rest } = reply;
    return rest;
  }
  const code = isErrorCode(reply.error?.code) ? reply.error.code : "internal";
  throw new TroupeError(code, reply.error?.message ?? "actor failed");
}

// node_modules/xstate/dist/xstate-dev.esm.js
function getGlobal() {
  if (typeof globalThis !== "undefined") {
    return globalThis;
  }
  if (typeof self !== "undefined") {
    return self;
  }
  if (typeof window !== "undefined") {
    return window;
  }
  if (typeof global !== "undefined") {
    return global;
  }
}
function getDevTools() {
  const w = getGlobal();
  if (w.__xstate__) {
    return w.__xstate__;
  }
  return void 0;
}
var devToolsAdapter = (service) => {
  if (typeof window === "undefined") {
    return;
  }
  const devTools = getDevTools();
  if (devTools) {
    devTools.register(service);
  }
};

// node_modules/xstate/dist/raise-effbee0c.esm.js
var Mailbox = class {
  constructor(_process) {
    this._process = _process;
    this._active = false;
    this._current = null;
    this._last = null;
  }
  start() {
    this._active = true;
    this.flush();
  }
  clear() {
    if (this._current) {
      this._current.next = null;
      this._last = this._current;
    }
  }
  enqueue(event) {
    const enqueued = {
      value: event,
      next: null
    };
    if (this._current) {
      this._last.next = enqueued;
      this._last = enqueued;
      return;
    }
    this._current = enqueued;
    this._last = enqueued;
    if (this._active) {
      this.flush();
    }
  }
  flush() {
    while (this._current) {
      const consumed = this._current;
      this._process(consumed.value);
      this._current = consumed.next;
    }
    this._last = null;
  }
};
var STATE_DELIMITER = ".";
var TARGETLESS_KEY = "";
var NULL_EVENT = "";
var STATE_IDENTIFIER = "#";
var WILDCARD = "*";
var XSTATE_INIT = "xstate.init";
var XSTATE_ERROR = "xstate.error";
var XSTATE_STOP = "xstate.stop";
function createAfterEvent(delayRef, id) {
  return {
    type: `xstate.after.${delayRef}.${id}`
  };
}
function createDoneStateEvent(id, output) {
  return {
    type: `xstate.done.state.${id}`,
    output
  };
}
function createDoneActorEvent(invokeId, output) {
  return {
    type: `xstate.done.actor.${invokeId}`,
    output,
    actorId: invokeId
  };
}
function createErrorActorEvent(id, error) {
  return {
    type: `xstate.error.actor.${id}`,
    error,
    actorId: id
  };
}
function createInitEvent(input) {
  return {
    type: XSTATE_INIT,
    input
  };
}
function reportUnhandledError(err) {
  setTimeout(() => {
    throw err;
  });
}
var symbolObservable = (() => typeof Symbol === "function" && Symbol.observable || "@@observable")();
function matchesState(parentStateId, childStateId) {
  const parentStateValue = toStateValue(parentStateId);
  const childStateValue = toStateValue(childStateId);
  if (typeof childStateValue === "string") {
    if (typeof parentStateValue === "string") {
      return childStateValue === parentStateValue;
    }
    return false;
  }
  if (typeof parentStateValue === "string") {
    return parentStateValue in childStateValue;
  }
  return Object.keys(parentStateValue).every((key) => {
    if (!(key in childStateValue)) {
      return false;
    }
    return matchesState(parentStateValue[key], childStateValue[key]);
  });
}
function toStatePath(stateId) {
  if (isArray(stateId)) {
    return stateId;
  }
  const result = [];
  let segment = "";
  for (let i = 0; i < stateId.length; i++) {
    const char = stateId.charCodeAt(i);
    switch (char) {
      // \
      case 92:
        segment += stateId[i + 1];
        i++;
        continue;
      // .
      case 46:
        result.push(segment);
        segment = "";
        continue;
    }
    segment += stateId[i];
  }
  result.push(segment);
  return result;
}
function toStateValue(stateValue) {
  if (isMachineSnapshot(stateValue)) {
    return stateValue.value;
  }
  if (typeof stateValue !== "string") {
    return stateValue;
  }
  const statePath = toStatePath(stateValue);
  return pathToStateValue(statePath);
}
function pathToStateValue(statePath) {
  if (statePath.length === 1) {
    return statePath[0];
  }
  const value = {};
  let marker = value;
  for (let i = 0; i < statePath.length - 1; i++) {
    if (i === statePath.length - 2) {
      marker[statePath[i]] = statePath[i + 1];
    } else {
      const previous = marker;
      marker = {};
      previous[statePath[i]] = marker;
    }
  }
  return value;
}
function mapValues(collection, iteratee) {
  const result = {};
  const collectionKeys = Object.keys(collection);
  for (let i = 0; i < collectionKeys.length; i++) {
    const key = collectionKeys[i];
    result[key] = iteratee(collection[key], key, collection, i);
  }
  return result;
}
function toArrayStrict(value) {
  if (isArray(value)) {
    return value;
  }
  return [value];
}
function toArray(value) {
  if (value === void 0) {
    return [];
  }
  return toArrayStrict(value);
}
function resolveOutput(mapper, context, event, self2) {
  if (typeof mapper === "function") {
    return mapper({
      context,
      event,
      self: self2
    });
  }
  return mapper;
}
function isArray(value) {
  return Array.isArray(value);
}
function isErrorActorEvent(event) {
  return event.type.startsWith("xstate.error.actor");
}
function toTransitionConfigArray(configLike) {
  return toArrayStrict(configLike).map((transitionLike) => {
    if (typeof transitionLike === "undefined" || typeof transitionLike === "string") {
      return {
        target: transitionLike
      };
    }
    return transitionLike;
  });
}
function normalizeTarget(target) {
  if (target === void 0 || target === TARGETLESS_KEY) {
    return void 0;
  }
  return toArray(target);
}
function toObserver(nextHandler, errorHandler, completionHandler) {
  const isObserver = typeof nextHandler === "object";
  const self2 = isObserver ? nextHandler : void 0;
  return {
    next: (isObserver ? nextHandler.next : nextHandler)?.bind(self2),
    error: (isObserver ? nextHandler.error : errorHandler)?.bind(self2),
    complete: (isObserver ? nextHandler.complete : completionHandler)?.bind(self2)
  };
}
function createInvokeId(stateNodeId, index) {
  return `${index}.${stateNodeId}`;
}
function resolveReferencedActor(machine, src) {
  const match = src.match(/^xstate\.invoke\.(\d+)\.(.*)/);
  if (!match) {
    return machine.implementations.actors[src];
  }
  const [, indexStr, nodeId] = match;
  const node = machine.getStateNodeById(nodeId);
  const invokeConfig = node.config.invoke;
  return (Array.isArray(invokeConfig) ? invokeConfig[indexStr] : invokeConfig).src;
}
function matchesEventDescriptor(eventType, descriptor) {
  if (descriptor === eventType) {
    return true;
  }
  if (descriptor === WILDCARD) {
    return true;
  }
  if (!descriptor.endsWith(".*")) {
    return false;
  }
  const partialEventTokens = descriptor.split(".");
  const eventTokens = eventType.split(".");
  for (let tokenIndex = 0; tokenIndex < partialEventTokens.length; tokenIndex++) {
    const partialEventToken = partialEventTokens[tokenIndex];
    const eventToken = eventTokens[tokenIndex];
    if (partialEventToken === "*") {
      const isLastToken = tokenIndex === partialEventTokens.length - 1;
      return isLastToken;
    }
    if (partialEventToken !== eventToken) {
      return false;
    }
  }
  return true;
}
function createScheduledEventId(actorRef, id) {
  return `${actorRef.sessionId}.${id}`;
}
var idCounter = 0;
function createSystem(rootActor, options) {
  const children = /* @__PURE__ */ new Map();
  const keyedActors = /* @__PURE__ */ new Map();
  const reverseKeyedActors = /* @__PURE__ */ new WeakMap();
  const inspectionObservers = /* @__PURE__ */ new Set();
  const timerMap = {};
  const {
    clock,
    logger: logger2
  } = options;
  const scheduler = {
    schedule: (source, target, event, delay, id = Math.random().toString(36).slice(2)) => {
      const scheduledEvent = {
        source,
        target,
        event,
        delay,
        id,
        startedAt: Date.now()
      };
      const scheduledEventId = createScheduledEventId(source, id);
      system._snapshot._scheduledEvents[scheduledEventId] = scheduledEvent;
      const timeout = clock.setTimeout(() => {
        delete timerMap[scheduledEventId];
        delete system._snapshot._scheduledEvents[scheduledEventId];
        system._relay(source, target, event);
      }, delay);
      timerMap[scheduledEventId] = timeout;
    },
    cancel: (source, id) => {
      const scheduledEventId = createScheduledEventId(source, id);
      const timeout = timerMap[scheduledEventId];
      delete timerMap[scheduledEventId];
      delete system._snapshot._scheduledEvents[scheduledEventId];
      if (timeout !== void 0) {
        clock.clearTimeout(timeout);
      }
    },
    cancelAll: (actorRef) => {
      for (const scheduledEventId in system._snapshot._scheduledEvents) {
        const scheduledEvent = system._snapshot._scheduledEvents[scheduledEventId];
        if (scheduledEvent.source === actorRef) {
          scheduler.cancel(actorRef, scheduledEvent.id);
        }
      }
    }
  };
  const sendInspectionEvent = (event) => {
    if (!inspectionObservers.size) {
      return;
    }
    const resolvedInspectionEvent = {
      ...event,
      rootId: rootActor.sessionId
    };
    inspectionObservers.forEach((observer) => observer.next?.(resolvedInspectionEvent));
  };
  const system = {
    _snapshot: {
      _scheduledEvents: (options?.snapshot && options.snapshot.scheduler) ?? {}
    },
    _bookId: () => `x:${idCounter++}`,
    _register: (sessionId, actorRef) => {
      children.set(sessionId, actorRef);
      return sessionId;
    },
    _unregister: (actorRef) => {
      children.delete(actorRef.sessionId);
      const systemId = reverseKeyedActors.get(actorRef);
      if (systemId !== void 0) {
        keyedActors.delete(systemId);
        reverseKeyedActors.delete(actorRef);
      }
    },
    get: (systemId) => {
      return keyedActors.get(systemId);
    },
    getAll: () => {
      return Object.fromEntries(keyedActors.entries());
    },
    _set: (systemId, actorRef) => {
      const existing = keyedActors.get(systemId);
      if (existing && existing !== actorRef) {
        throw new Error(`Actor with system ID '${systemId}' already exists.`);
      }
      keyedActors.set(systemId, actorRef);
      reverseKeyedActors.set(actorRef, systemId);
    },
    inspect: (observerOrFn) => {
      const observer = toObserver(observerOrFn);
      inspectionObservers.add(observer);
      return {
        unsubscribe() {
          inspectionObservers.delete(observer);
        }
      };
    },
    _sendInspectionEvent: sendInspectionEvent,
    _relay: (source, target, event) => {
      system._sendInspectionEvent({
        type: "@xstate.event",
        sourceRef: source,
        actorRef: target,
        event
      });
      target._send(event);
    },
    scheduler,
    getSnapshot: () => {
      return {
        _scheduledEvents: {
          ...system._snapshot._scheduledEvents
        }
      };
    },
    start: () => {
      const scheduledEvents = system._snapshot._scheduledEvents;
      system._snapshot._scheduledEvents = {};
      for (const scheduledId in scheduledEvents) {
        const {
          source,
          target,
          event,
          delay,
          id
        } = scheduledEvents[scheduledId];
        scheduler.schedule(source, target, event, delay, id);
      }
    },
    _clock: clock,
    _logger: logger2
  };
  return system;
}
var executingCustomAction = false;
var $$ACTOR_TYPE = 1;
var ProcessingStatus = /* @__PURE__ */ (function(ProcessingStatus2) {
  ProcessingStatus2[ProcessingStatus2["NotStarted"] = 0] = "NotStarted";
  ProcessingStatus2[ProcessingStatus2["Running"] = 1] = "Running";
  ProcessingStatus2[ProcessingStatus2["Stopped"] = 2] = "Stopped";
  return ProcessingStatus2;
})({});
var defaultOptions = {
  clock: {
    setTimeout: (fn, ms) => {
      return setTimeout(fn, ms);
    },
    clearTimeout: (id) => {
      return clearTimeout(id);
    }
  },
  logger: console.log.bind(console),
  devTools: false
};
var Actor = class {
  /**
   * Creates a new actor instance for the given logic with the provided options,
   * if any.
   *
   * @param logic The logic to create an actor from
   * @param options Actor options
   */
  constructor(logic, options) {
    this.logic = logic;
    this._snapshot = void 0;
    this.clock = void 0;
    this.options = void 0;
    this.id = void 0;
    this.mailbox = new Mailbox(this._process.bind(this));
    this.observers = /* @__PURE__ */ new Set();
    this.eventListeners = /* @__PURE__ */ new Map();
    this.logger = void 0;
    this._processingStatus = ProcessingStatus.NotStarted;
    this._parent = void 0;
    this._syncSnapshot = void 0;
    this.ref = void 0;
    this._actorScope = void 0;
    this.systemId = void 0;
    this.sessionId = void 0;
    this.system = void 0;
    this._doneEvent = void 0;
    this.src = void 0;
    this._deferred = [];
    const resolvedOptions = {
      ...defaultOptions,
      ...options
    };
    const {
      clock,
      logger: logger2,
      parent,
      syncSnapshot,
      id,
      systemId,
      inspect
    } = resolvedOptions;
    this.system = parent ? parent.system : createSystem(this, {
      clock,
      logger: logger2
    });
    if (inspect && !parent) {
      this.system.inspect(toObserver(inspect));
    }
    this.sessionId = this.system._bookId();
    this.id = id ?? this.sessionId;
    this.logger = options?.logger ?? this.system._logger;
    this.clock = options?.clock ?? this.system._clock;
    this._parent = parent;
    this._syncSnapshot = syncSnapshot;
    this.options = resolvedOptions;
    this.src = resolvedOptions.src ?? logic;
    this.ref = this;
    this._actorScope = {
      self: this,
      id: this.id,
      sessionId: this.sessionId,
      logger: this.logger,
      defer: (fn) => {
        this._deferred.push(fn);
      },
      system: this.system,
      stopChild: (child) => {
        if (child._parent !== this) {
          throw new Error(`Cannot stop child actor ${child.id} of ${this.id} because it is not a child`);
        }
        child._stop();
      },
      emit: (emittedEvent) => {
        const listeners = this.eventListeners.get(emittedEvent.type);
        const wildcardListener = this.eventListeners.get("*");
        if (!listeners && !wildcardListener) {
          return;
        }
        const allListeners = [...listeners ? listeners.values() : [], ...wildcardListener ? wildcardListener.values() : []];
        for (const handler of allListeners) {
          try {
            handler(emittedEvent);
          } catch (err) {
            reportUnhandledError(err);
          }
        }
      },
      actionExecutor: (action) => {
        const exec = () => {
          this._actorScope.system._sendInspectionEvent({
            type: "@xstate.action",
            actorRef: this,
            action: {
              type: action.type,
              params: action.params
            }
          });
          if (!action.exec) {
            return;
          }
          const saveExecutingCustomAction = executingCustomAction;
          try {
            executingCustomAction = true;
            action.exec(action.info, action.params);
          } finally {
            executingCustomAction = saveExecutingCustomAction;
          }
        };
        if (this._processingStatus === ProcessingStatus.Running) {
          exec();
        } else {
          this._deferred.push(exec);
        }
      }
    };
    this.send = this.send.bind(this);
    this.system._sendInspectionEvent({
      type: "@xstate.actor",
      actorRef: this
    });
    if (systemId) {
      this.systemId = systemId;
      this.system._set(systemId, this);
    }
    this._initState(options?.snapshot ?? options?.state);
    if (systemId && this._snapshot.status !== "active") {
      this.system._unregister(this);
    }
  }
  _initState(persistedState) {
    try {
      this._snapshot = persistedState ? this.logic.restoreSnapshot ? this.logic.restoreSnapshot(persistedState, this._actorScope) : persistedState : this.logic.getInitialSnapshot(this._actorScope, this.options?.input);
    } catch (err) {
      this._snapshot = {
        status: "error",
        output: void 0,
        error: err
      };
    }
  }
  update(snapshot, event) {
    this._snapshot = snapshot;
    let deferredFn;
    while (deferredFn = this._deferred.shift()) {
      try {
        deferredFn();
      } catch (err) {
        this._deferred.length = 0;
        this._snapshot = {
          ...snapshot,
          status: "error",
          error: err
        };
      }
    }
    switch (this._snapshot.status) {
      case "active":
        for (const observer of this.observers) {
          try {
            observer.next?.(snapshot);
          } catch (err) {
            reportUnhandledError(err);
          }
        }
        break;
      case "done":
        for (const observer of this.observers) {
          try {
            observer.next?.(snapshot);
          } catch (err) {
            reportUnhandledError(err);
          }
        }
        this._stopProcedure();
        this._complete();
        this._doneEvent = createDoneActorEvent(this.id, this._snapshot.output);
        if (this._parent) {
          this.system._relay(this, this._parent, this._doneEvent);
        }
        break;
      case "error":
        this._error(this._snapshot.error);
        break;
    }
    this.system._sendInspectionEvent({
      type: "@xstate.snapshot",
      actorRef: this,
      event,
      snapshot
    });
  }
  /**
   * Subscribe an observer to an actor’s snapshot values.
   *
   * @remarks
   * The observer will receive the actor’s snapshot value when it is emitted.
   * The observer can be:
   *
   * - A plain function that receives the latest snapshot, or
   * - An observer object whose `.next(snapshot)` method receives the latest
   *   snapshot
   *
   * @example
   *
   * ```ts
   * // Observer as a plain function
   * const subscription = actor.subscribe((snapshot) => {
   *   console.log(snapshot);
   * });
   * ```
   *
   * @example
   *
   * ```ts
   * // Observer as an object
   * const subscription = actor.subscribe({
   *   next(snapshot) {
   *     console.log(snapshot);
   *   },
   *   error(err) {
   *     // ...
   *   },
   *   complete() {
   *     // ...
   *   }
   * });
   * ```
   *
   * The return value of `actor.subscribe(observer)` is a subscription object
   * that has an `.unsubscribe()` method. You can call
   * `subscription.unsubscribe()` to unsubscribe the observer:
   *
   * @example
   *
   * ```ts
   * const subscription = actor.subscribe((snapshot) => {
   *   // ...
   * });
   *
   * // Unsubscribe the observer
   * subscription.unsubscribe();
   * ```
   *
   * When the actor is stopped, all of its observers will automatically be
   * unsubscribed.
   *
   * @param observer - Either a plain function that receives the latest
   *   snapshot, or an observer object whose `.next(snapshot)` method receives
   *   the latest snapshot
   */
  subscribe(nextListenerOrObserver, errorListener, completeListener) {
    const observer = toObserver(nextListenerOrObserver, errorListener, completeListener);
    if (this._processingStatus !== ProcessingStatus.Stopped) {
      this.observers.add(observer);
    } else {
      switch (this._snapshot.status) {
        case "done":
          try {
            observer.complete?.();
          } catch (err) {
            reportUnhandledError(err);
          }
          break;
        case "error": {
          const err = this._snapshot.error;
          if (!observer.error) {
            reportUnhandledError(err);
          } else {
            try {
              observer.error(err);
            } catch (err2) {
              reportUnhandledError(err2);
            }
          }
          break;
        }
      }
    }
    return {
      unsubscribe: () => {
        this.observers.delete(observer);
      }
    };
  }
  on(type, handler) {
    let listeners = this.eventListeners.get(type);
    if (!listeners) {
      listeners = /* @__PURE__ */ new Set();
      this.eventListeners.set(type, listeners);
    }
    const wrappedHandler = handler.bind(void 0);
    listeners.add(wrappedHandler);
    return {
      unsubscribe: () => {
        listeners.delete(wrappedHandler);
      }
    };
  }
  select(selector, equalityFn = Object.is) {
    return {
      subscribe: (observerOrFn) => {
        const observer = toObserver(observerOrFn);
        const snapshot = this.getSnapshot();
        let previousSelected = selector(snapshot);
        return this.subscribe((snapshot2) => {
          const nextSelected = selector(snapshot2);
          if (!equalityFn(previousSelected, nextSelected)) {
            previousSelected = nextSelected;
            observer.next?.(nextSelected);
          }
        });
      },
      get: () => selector(this.getSnapshot())
    };
  }
  /** Starts the Actor from the initial state */
  start() {
    if (this._processingStatus === ProcessingStatus.Running) {
      return this;
    }
    if (this._syncSnapshot) {
      this.subscribe({
        next: (snapshot) => {
          if (snapshot.status === "active") {
            this.system._relay(this, this._parent, {
              type: `xstate.snapshot.${this.id}`,
              snapshot
            });
          }
        },
        error: () => {
        }
      });
    }
    this.system._register(this.sessionId, this);
    if (this.systemId) {
      this.system._set(this.systemId, this);
    }
    this._processingStatus = ProcessingStatus.Running;
    const initEvent = createInitEvent(this.options.input);
    this.system._sendInspectionEvent({
      type: "@xstate.event",
      sourceRef: this._parent,
      actorRef: this,
      event: initEvent
    });
    const status = this._snapshot.status;
    switch (status) {
      case "done":
        this.update(this._snapshot, initEvent);
        return this;
      case "error":
        this._error(this._snapshot.error);
        return this;
    }
    if (!this._parent) {
      this.system.start();
    }
    if (this.logic.start) {
      try {
        this.logic.start(this._snapshot, this._actorScope);
      } catch (err) {
        this._snapshot = {
          ...this._snapshot,
          status: "error",
          error: err
        };
        this._error(err);
        return this;
      }
    }
    this.update(this._snapshot, initEvent);
    if (this.options.devTools) {
      this.attachDevTools();
    }
    this.mailbox.start();
    return this;
  }
  _process(event) {
    let nextState;
    let caughtError;
    try {
      nextState = this.logic.transition(this._snapshot, event, this._actorScope);
    } catch (err) {
      caughtError = {
        err
      };
    }
    if (caughtError) {
      const {
        err
      } = caughtError;
      this._snapshot = {
        ...this._snapshot,
        status: "error",
        error: err
      };
      this._error(err);
      return;
    }
    this.update(nextState, event);
    if (event.type === XSTATE_STOP) {
      this._stopProcedure();
      this._complete();
    }
  }
  _stop() {
    if (this._processingStatus === ProcessingStatus.Stopped) {
      return this;
    }
    this.mailbox.clear();
    if (this._processingStatus === ProcessingStatus.NotStarted) {
      this._processingStatus = ProcessingStatus.Stopped;
      return this;
    }
    this.mailbox.enqueue({
      type: XSTATE_STOP
    });
    return this;
  }
  /** Stops the Actor and unsubscribe all listeners. */
  stop() {
    if (this._parent) {
      throw new Error("A non-root actor cannot be stopped directly.");
    }
    return this._stop();
  }
  _complete() {
    for (const observer of this.observers) {
      try {
        observer.complete?.();
      } catch (err) {
        reportUnhandledError(err);
      }
    }
    this.observers.clear();
    this.eventListeners.clear();
  }
  _reportError(err) {
    if (!this.observers.size) {
      if (!this._parent) {
        reportUnhandledError(err);
      }
      this.eventListeners.clear();
      return;
    }
    let reportError = false;
    for (const observer of this.observers) {
      const errorListener = observer.error;
      reportError ||= !errorListener;
      try {
        errorListener?.(err);
      } catch (err2) {
        reportUnhandledError(err2);
      }
    }
    this.observers.clear();
    this.eventListeners.clear();
    if (reportError) {
      reportUnhandledError(err);
    }
  }
  _error(err) {
    this._stopProcedure();
    this._reportError(err);
    if (this._parent) {
      this.system._relay(this, this._parent, createErrorActorEvent(this.id, err));
    }
  }
  // TODO: atm children don't belong entirely to the actor so
  // in a way - it's not even super aware of them
  // so we can't stop them from here but we really should!
  // right now, they are being stopped within the machine's transition
  // but that could throw and leave us with "orphaned" active actors
  _stopProcedure() {
    if (this._processingStatus !== ProcessingStatus.Running) {
      return this;
    }
    this.system.scheduler.cancelAll(this);
    this.mailbox.clear();
    this.mailbox = new Mailbox(this._process.bind(this));
    this._processingStatus = ProcessingStatus.Stopped;
    this.system._unregister(this);
    return this;
  }
  /** @internal */
  _send(event) {
    if (this._processingStatus === ProcessingStatus.Stopped) {
      return;
    }
    this.mailbox.enqueue(event);
  }
  /**
   * Sends an event to the running Actor to trigger a transition.
   *
   * @param event The event to send
   */
  send(event) {
    this.system._relay(void 0, this, event);
  }
  attachDevTools() {
    const {
      devTools
    } = this.options;
    if (devTools) {
      const resolvedDevToolsAdapter = typeof devTools === "function" ? devTools : devToolsAdapter;
      resolvedDevToolsAdapter(this);
    }
  }
  toJSON() {
    return {
      xstate$$type: $$ACTOR_TYPE,
      id: this.id
    };
  }
  /**
   * Obtain the internal state of the actor, which can be persisted.
   *
   * @remarks
   * The internal state can be persisted from any actor, not only machines.
   *
   * Note that the persisted state is not the same as the snapshot from
   * {@link Actor.getSnapshot}. Persisted state represents the internal state of
   * the actor, while snapshots represent the actor's last emitted value.
   *
   * Can be restored with {@link ActorOptions.state}
   * @see https://stately.ai/docs/persistence
   */
  getPersistedSnapshot(options) {
    return this.logic.getPersistedSnapshot(this._snapshot, options);
  }
  [symbolObservable]() {
    return this;
  }
  /**
   * Read an actor’s snapshot synchronously.
   *
   * @remarks
   * The snapshot represent an actor's last emitted value.
   *
   * When an actor receives an event, its internal state may change. An actor
   * may emit a snapshot when a state transition occurs.
   *
   * Note that some actors, such as callback actors generated with
   * `fromCallback`, will not emit snapshots.
   * @see {@link Actor.subscribe} to subscribe to an actor’s snapshot values.
   * @see {@link Actor.getPersistedSnapshot} to persist the internal state of an actor (which is more than just a snapshot).
   */
  getSnapshot() {
    return this._snapshot;
  }
};
function createActor(logic, ...[options]) {
  return new Actor(logic, options);
}
function resolveCancel(_, snapshot, actionArgs, actionParams, {
  sendId
}) {
  const resolvedSendId = typeof sendId === "function" ? sendId(actionArgs, actionParams) : sendId;
  return [snapshot, {
    sendId: resolvedSendId
  }, void 0];
}
function executeCancel(actorScope, params) {
  actorScope.defer(() => {
    actorScope.system.scheduler.cancel(actorScope.self, params.sendId);
  });
}
function cancel(sendId) {
  function cancel2(_args, _params) {
  }
  cancel2.type = "xstate.cancel";
  cancel2.sendId = sendId;
  cancel2.resolve = resolveCancel;
  cancel2.execute = executeCancel;
  return cancel2;
}
function resolveSpawn(actorScope, snapshot, actionArgs, _actionParams, {
  id,
  systemId,
  src,
  input,
  syncSnapshot
}) {
  const logic = typeof src === "string" ? resolveReferencedActor(snapshot.machine, src) : src;
  const resolvedId = typeof id === "function" ? id(actionArgs) : id;
  let actorRef;
  let resolvedInput = void 0;
  if (logic) {
    resolvedInput = typeof input === "function" ? input({
      context: snapshot.context,
      event: actionArgs.event,
      self: actorScope.self
    }) : input;
    actorRef = createActor(logic, {
      id: resolvedId,
      src,
      parent: actorScope.self,
      syncSnapshot,
      systemId,
      input: resolvedInput
    });
  }
  return [cloneMachineSnapshot(snapshot, {
    children: {
      ...snapshot.children,
      [resolvedId]: actorRef
    }
  }), {
    id,
    systemId,
    actorRef,
    src,
    input: resolvedInput
  }, void 0];
}
function executeSpawn(actorScope, {
  actorRef
}) {
  if (!actorRef) {
    return;
  }
  actorScope.defer(() => {
    if (actorRef._processingStatus === ProcessingStatus.Stopped) {
      return;
    }
    actorRef.start();
  });
}
function spawnChild(...[src, {
  id,
  systemId,
  input,
  syncSnapshot = false
} = {}]) {
  function spawnChild2(_args, _params) {
  }
  spawnChild2.type = "xstate.spawnChild";
  spawnChild2.id = id;
  spawnChild2.systemId = systemId;
  spawnChild2.src = src;
  spawnChild2.input = input;
  spawnChild2.syncSnapshot = syncSnapshot;
  spawnChild2.resolve = resolveSpawn;
  spawnChild2.execute = executeSpawn;
  return spawnChild2;
}
function resolveStop(_, snapshot, args, actionParams, {
  actorRef
}) {
  const actorRefOrString = typeof actorRef === "function" ? actorRef(args, actionParams) : actorRef;
  const resolvedActorRef = typeof actorRefOrString === "string" ? snapshot.children[actorRefOrString] : actorRefOrString;
  let children = snapshot.children;
  if (resolvedActorRef) {
    children = {
      ...children
    };
    delete children[resolvedActorRef.id];
  }
  return [cloneMachineSnapshot(snapshot, {
    children
  }), resolvedActorRef, void 0];
}
function unregisterRecursively(actorScope, actorRef) {
  const snapshot = actorRef.getSnapshot();
  if (snapshot && "children" in snapshot) {
    for (const child of Object.values(snapshot.children)) {
      unregisterRecursively(actorScope, child);
    }
  }
  actorScope.system._unregister(actorRef);
}
function executeStop(actorScope, actorRef) {
  if (!actorRef) {
    return;
  }
  unregisterRecursively(actorScope, actorRef);
  if (actorRef._processingStatus !== ProcessingStatus.Running) {
    actorScope.stopChild(actorRef);
    return;
  }
  actorScope.defer(() => {
    actorScope.stopChild(actorRef);
  });
}
function stopChild(actorRef) {
  function stop2(_args, _params) {
  }
  stop2.type = "xstate.stopChild";
  stop2.actorRef = actorRef;
  stop2.resolve = resolveStop;
  stop2.execute = executeStop;
  return stop2;
}
function checkAnd(snapshot, {
  context,
  event
}, {
  guards
}) {
  return guards.every((guard) => evaluateGuard(guard, context, event, snapshot));
}
function and(guards) {
  function and2(_args, _params) {
    return false;
  }
  and2.check = checkAnd;
  and2.guards = guards;
  return and2;
}
function evaluateGuard(guard, context, event, snapshot) {
  const {
    machine
  } = snapshot;
  const isInline = typeof guard === "function";
  const resolved = isInline ? guard : machine.implementations.guards[typeof guard === "string" ? guard : guard.type];
  if (!isInline && !resolved) {
    throw new Error(`Guard '${typeof guard === "string" ? guard : guard.type}' is not implemented.'.`);
  }
  if (typeof resolved !== "function") {
    return evaluateGuard(resolved, context, event, snapshot);
  }
  const guardArgs = {
    context,
    event
  };
  const guardParams = isInline || typeof guard === "string" ? void 0 : "params" in guard ? typeof guard.params === "function" ? guard.params({
    context,
    event
  }) : guard.params : void 0;
  if (!("check" in resolved)) {
    return resolved(guardArgs, guardParams);
  }
  const builtinGuard = resolved;
  return builtinGuard.check(
    snapshot,
    guardArgs,
    resolved
    // this holds all params
  );
}
function isAtomicStateNode(stateNode) {
  return stateNode.type === "atomic" || stateNode.type === "final";
}
function getChildren(stateNode) {
  return Object.values(stateNode.states).filter((sn) => sn.type !== "history");
}
function getProperAncestors(stateNode, toStateNode) {
  const ancestors = [];
  if (toStateNode === stateNode) {
    return ancestors;
  }
  let m = stateNode.parent;
  while (m && m !== toStateNode) {
    ancestors.push(m);
    m = m.parent;
  }
  return ancestors;
}
function getAllStateNodes(stateNodes) {
  const nodeSet = new Set(stateNodes);
  const adjList = getAdjList(nodeSet);
  for (const s of nodeSet) {
    if (s.type === "compound" && (!adjList.get(s) || !adjList.get(s).length)) {
      getInitialStateNodesWithTheirAncestors(s).forEach((sn) => nodeSet.add(sn));
    } else {
      if (s.type === "parallel") {
        for (const child of getChildren(s)) {
          if (child.type === "history") {
            continue;
          }
          if (!nodeSet.has(child)) {
            const initialStates = getInitialStateNodesWithTheirAncestors(child);
            for (const initialStateNode of initialStates) {
              nodeSet.add(initialStateNode);
            }
          }
        }
      }
    }
  }
  for (const s of nodeSet) {
    let m = s.parent;
    while (m) {
      nodeSet.add(m);
      m = m.parent;
    }
  }
  return nodeSet;
}
function getValueFromAdj(baseNode, adjList) {
  const childStateNodes = adjList.get(baseNode);
  if (!childStateNodes) {
    return {};
  }
  if (baseNode.type === "compound") {
    const childStateNode = childStateNodes[0];
    if (childStateNode) {
      if (isAtomicStateNode(childStateNode)) {
        return childStateNode.key;
      }
    } else {
      return {};
    }
  }
  const stateValue = {};
  for (const childStateNode of childStateNodes) {
    stateValue[childStateNode.key] = getValueFromAdj(childStateNode, adjList);
  }
  return stateValue;
}
function getAdjList(stateNodes) {
  const adjList = /* @__PURE__ */ new Map();
  for (const s of stateNodes) {
    if (!adjList.has(s)) {
      adjList.set(s, []);
    }
    if (s.parent) {
      if (!adjList.has(s.parent)) {
        adjList.set(s.parent, []);
      }
      adjList.get(s.parent).push(s);
    }
  }
  return adjList;
}
function getStateValue(rootNode, stateNodes) {
  const config = getAllStateNodes(stateNodes);
  return getValueFromAdj(rootNode, getAdjList(config));
}
function isInFinalState(stateNodeSet, stateNode) {
  if (stateNode.type === "compound") {
    return getChildren(stateNode).some((s) => s.type === "final" && stateNodeSet.has(s));
  }
  if (stateNode.type === "parallel") {
    return getChildren(stateNode).every((sn) => isInFinalState(stateNodeSet, sn));
  }
  return stateNode.type === "final";
}
var isStateId = (str) => str[0] === STATE_IDENTIFIER;
function getCandidates(stateNode, receivedEventType) {
  const exactMatch = stateNode.transitions.get(receivedEventType);
  const wildcardCandidates = [...stateNode.transitions.keys()].filter((eventDescriptor) => eventDescriptor !== receivedEventType && matchesEventDescriptor(receivedEventType, eventDescriptor)).sort((a, b) => b.length - a.length).flatMap((key) => stateNode.transitions.get(key));
  return exactMatch ? [...exactMatch, ...wildcardCandidates] : wildcardCandidates;
}
function getDelayedTransitions(stateNode) {
  const afterConfig = stateNode.config.after;
  if (!afterConfig) {
    return [];
  }
  const mutateEntryExit = (delay) => {
    const afterEvent = createAfterEvent(delay, stateNode.id);
    const eventType = afterEvent.type;
    stateNode.entry.push(raise(afterEvent, {
      id: eventType,
      delay
    }));
    stateNode.exit.push(cancel(eventType));
    return eventType;
  };
  const delayedTransitions = Object.keys(afterConfig).flatMap((delay) => {
    const configTransition = afterConfig[delay];
    const resolvedTransition = typeof configTransition === "string" ? {
      target: configTransition
    } : configTransition;
    const resolvedDelay = Number.isNaN(+delay) ? delay : +delay;
    const eventType = mutateEntryExit(resolvedDelay);
    return toArray(resolvedTransition).map((transition) => ({
      ...transition,
      event: eventType,
      delay: resolvedDelay
    }));
  });
  return delayedTransitions.map((delayedTransition) => {
    const {
      delay
    } = delayedTransition;
    return {
      ...formatTransition(stateNode, delayedTransition.event, delayedTransition),
      delay
    };
  });
}
function formatTransition(stateNode, descriptor, transitionConfig) {
  const normalizedTarget = normalizeTarget(transitionConfig.target);
  const reenter = transitionConfig.reenter ?? false;
  const target = resolveTarget(stateNode, normalizedTarget);
  const transition = {
    ...transitionConfig,
    actions: toArray(transitionConfig.actions),
    guard: transitionConfig.guard,
    target,
    source: stateNode,
    reenter,
    eventType: descriptor,
    toJSON: () => ({
      ...transition,
      source: `#${stateNode.id}`,
      target: target ? target.map((t) => `#${t.id}`) : void 0
    })
  };
  return transition;
}
function formatTransitions(stateNode) {
  const transitions = /* @__PURE__ */ new Map();
  if (stateNode.config.on) {
    for (const descriptor of Object.keys(stateNode.config.on)) {
      if (descriptor === NULL_EVENT) {
        throw new Error('Null events ("") cannot be specified as a transition key. Use `always: { ... }` instead.');
      }
      const transitionsConfig = stateNode.config.on[descriptor];
      transitions.set(descriptor, toTransitionConfigArray(transitionsConfig).map((t) => formatTransition(stateNode, descriptor, t)));
    }
  }
  if (stateNode.config.onDone) {
    const descriptor = `xstate.done.state.${stateNode.id}`;
    transitions.set(descriptor, toTransitionConfigArray(stateNode.config.onDone).map((t) => formatTransition(stateNode, descriptor, t)));
  }
  for (const invokeDef of stateNode.invoke) {
    if (invokeDef.onDone) {
      const descriptor = `xstate.done.actor.${invokeDef.id}`;
      transitions.set(descriptor, toTransitionConfigArray(invokeDef.onDone).map((t) => formatTransition(stateNode, descriptor, t)));
    }
    if (invokeDef.onError) {
      const descriptor = `xstate.error.actor.${invokeDef.id}`;
      transitions.set(descriptor, toTransitionConfigArray(invokeDef.onError).map((t) => formatTransition(stateNode, descriptor, t)));
    }
    if (invokeDef.onSnapshot) {
      const descriptor = `xstate.snapshot.${invokeDef.id}`;
      transitions.set(descriptor, toTransitionConfigArray(invokeDef.onSnapshot).map((t) => formatTransition(stateNode, descriptor, t)));
    }
  }
  for (const delayedTransition of stateNode.after) {
    let existing = transitions.get(delayedTransition.eventType);
    if (!existing) {
      existing = [];
      transitions.set(delayedTransition.eventType, existing);
    }
    existing.push(delayedTransition);
  }
  return transitions;
}
function formatRouteTransitions(rootStateNode) {
  const routeTransitions = [];
  const collectRoutes = (states) => {
    Object.values(states).forEach((sn) => {
      if (sn.config.route && sn.config.id) {
        const routeId = sn.config.id;
        const userGuard = sn.config.route.guard;
        const routeMatches = ({
          event
        }) => event.to === `#${routeId}`;
        const transition = {
          ...sn.config.route,
          guard: userGuard ? and([routeMatches, userGuard]) : routeMatches,
          target: `#${routeId}`
        };
        routeTransitions.push(formatTransition(rootStateNode, "xstate.route", transition));
      }
      if (sn.states) {
        collectRoutes(sn.states);
      }
    });
  };
  collectRoutes(rootStateNode.states);
  if (routeTransitions.length > 0) {
    rootStateNode.transitions.set("xstate.route", routeTransitions);
  }
}
function formatInitialTransition(stateNode, _target) {
  const resolvedTarget = typeof _target === "string" ? stateNode.states[_target] : _target ? stateNode.states[_target.target] : void 0;
  if (!resolvedTarget && _target) {
    throw new Error(
      // oxlint-disable-next-line typescript/restrict-template-expressions, typescript/no-base-to-string
      `Initial state node "${_target}" not found on parent state node #${stateNode.id}`
    );
  }
  const transition = {
    source: stateNode,
    actions: !_target || typeof _target === "string" ? [] : toArray(_target.actions),
    eventType: null,
    reenter: false,
    target: resolvedTarget ? [resolvedTarget] : [],
    meta: typeof _target === "object" ? _target.meta : void 0,
    description: typeof _target === "object" ? _target.description : void 0,
    toJSON: () => ({
      ...transition,
      source: `#${stateNode.id}`,
      target: resolvedTarget ? [`#${resolvedTarget.id}`] : []
    })
  };
  return transition;
}
function resolveTarget(stateNode, targets) {
  if (targets === void 0) {
    return void 0;
  }
  return targets.map((target) => {
    if (typeof target !== "string") {
      return target;
    }
    if (isStateId(target)) {
      return stateNode.machine.getStateNodeById(target);
    }
    const isInternalTarget = target[0] === STATE_DELIMITER;
    if (isInternalTarget && !stateNode.parent) {
      return getStateNodeByPath(stateNode, target.slice(1));
    }
    const resolvedTarget = isInternalTarget ? stateNode.key + target : target;
    if (stateNode.parent) {
      try {
        const targetStateNode = getStateNodeByPath(stateNode.parent, resolvedTarget);
        return targetStateNode;
      } catch (err) {
        throw new Error(`Invalid transition definition for state node '${stateNode.id}':
${err.message}`);
      }
    } else {
      throw new Error(`Invalid target: "${target}" is not a valid target from the root node. Did you mean ".${target}"?`);
    }
  });
}
function resolveHistoryDefaultTransition(stateNode) {
  const normalizedTarget = normalizeTarget(stateNode.config.target);
  if (!normalizedTarget) {
    if (stateNode.parent.type === "parallel") {
      return {
        target: [stateNode.parent]
      };
    }
    return stateNode.parent.initial;
  }
  return {
    target: normalizedTarget.map((t) => typeof t === "string" ? getStateNodeByPath(stateNode.parent, t) : t)
  };
}
function isHistoryNode(stateNode) {
  return stateNode.type === "history";
}
function getInitialStateNodesWithTheirAncestors(stateNode) {
  const states = getInitialStateNodes(stateNode);
  for (const initialState2 of states) {
    for (const ancestor of getProperAncestors(initialState2, stateNode)) {
      states.add(ancestor);
    }
  }
  return states;
}
function getInitialStateNodes(stateNode) {
  const set = /* @__PURE__ */ new Set();
  function iter(descStateNode) {
    if (set.has(descStateNode)) {
      return;
    }
    set.add(descStateNode);
    if (descStateNode.type === "compound") {
      iter(descStateNode.initial.target[0]);
    } else if (descStateNode.type === "parallel") {
      for (const child of getChildren(descStateNode)) {
        iter(child);
      }
    }
  }
  iter(stateNode);
  return set;
}
function getStateNode(stateNode, stateKey) {
  if (isStateId(stateKey)) {
    return stateNode.machine.getStateNodeById(stateKey);
  }
  if (!stateNode.states) {
    throw new Error(`Unable to retrieve child state '${stateKey}' from '${stateNode.id}'; no child states exist.`);
  }
  const result = stateNode.states[stateKey];
  if (!result) {
    throw new Error(`Child state '${stateKey}' does not exist on '${stateNode.id}'`);
  }
  return result;
}
function getStateNodeByPath(stateNode, statePath) {
  if (typeof statePath === "string" && isStateId(statePath)) {
    try {
      return stateNode.machine.getStateNodeById(statePath);
    } catch {
    }
  }
  const arrayStatePath = toStatePath(statePath).slice();
  let currentStateNode = stateNode;
  while (arrayStatePath.length) {
    const key = arrayStatePath.shift();
    if (!key.length) {
      break;
    }
    currentStateNode = getStateNode(currentStateNode, key);
  }
  return currentStateNode;
}
function getStateNodes(stateNode, stateValue) {
  if (typeof stateValue === "string") {
    const childStateNode = stateNode.states[stateValue];
    if (!childStateNode) {
      throw new Error(`State '${stateValue}' does not exist on '${stateNode.id}'`);
    }
    return [stateNode, childStateNode];
  }
  const childStateKeys = Object.keys(stateValue);
  const childStateNodes = childStateKeys.map((subStateKey) => getStateNode(stateNode, subStateKey)).filter(Boolean);
  return [stateNode.machine.root, stateNode].concat(childStateNodes, childStateKeys.reduce((allSubStateNodes, subStateKey) => {
    const subStateNode = getStateNode(stateNode, subStateKey);
    if (!subStateNode) {
      return allSubStateNodes;
    }
    const subStateNodes = getStateNodes(subStateNode, stateValue[subStateKey]);
    return allSubStateNodes.concat(subStateNodes);
  }, []));
}
function transitionAtomicNode(stateNode, stateValue, snapshot, event) {
  const childStateNode = getStateNode(stateNode, stateValue);
  const next = childStateNode.next(snapshot, event);
  if (!next || !next.length) {
    return stateNode.next(snapshot, event);
  }
  return next;
}
function transitionCompoundNode(stateNode, stateValue, snapshot, event) {
  const subStateKeys = Object.keys(stateValue);
  const childStateNode = getStateNode(stateNode, subStateKeys[0]);
  const next = transitionNode(childStateNode, stateValue[subStateKeys[0]], snapshot, event);
  if (!next || !next.length) {
    return stateNode.next(snapshot, event);
  }
  return next;
}
function transitionParallelNode(stateNode, stateValue, snapshot, event) {
  const allInnerTransitions = [];
  for (const subStateKey of Object.keys(stateValue)) {
    const subStateValue = stateValue[subStateKey];
    if (!subStateValue) {
      continue;
    }
    const subStateNode = getStateNode(stateNode, subStateKey);
    const innerTransitions = transitionNode(subStateNode, subStateValue, snapshot, event);
    if (innerTransitions) {
      allInnerTransitions.push(...innerTransitions);
    }
  }
  if (!allInnerTransitions.length) {
    return stateNode.next(snapshot, event);
  }
  return allInnerTransitions;
}
function transitionNode(stateNode, stateValue, snapshot, event) {
  if (typeof stateValue === "string") {
    return transitionAtomicNode(stateNode, stateValue, snapshot, event);
  }
  if (Object.keys(stateValue).length === 1) {
    return transitionCompoundNode(stateNode, stateValue, snapshot, event);
  }
  return transitionParallelNode(stateNode, stateValue, snapshot, event);
}
function getHistoryNodes(stateNode) {
  return Object.keys(stateNode.states).map((key) => stateNode.states[key]).filter((sn) => sn.type === "history");
}
function isDescendant(childStateNode, parentStateNode) {
  let marker = childStateNode;
  while (marker.parent && marker.parent !== parentStateNode) {
    marker = marker.parent;
  }
  return marker.parent === parentStateNode;
}
function hasIntersection(s1, s2) {
  const set1 = new Set(s1);
  const set2 = new Set(s2);
  for (const item of set1) {
    if (set2.has(item)) {
      return true;
    }
  }
  for (const item of set2) {
    if (set1.has(item)) {
      return true;
    }
  }
  return false;
}
function removeConflictingTransitions(enabledTransitions, stateNodeSet, historyValue) {
  const filteredTransitions = /* @__PURE__ */ new Set();
  for (const t1 of enabledTransitions) {
    let t1Preempted = false;
    const transitionsToRemove = /* @__PURE__ */ new Set();
    for (const t2 of filteredTransitions) {
      if (hasIntersection(computeExitSet([t1], stateNodeSet, historyValue), computeExitSet([t2], stateNodeSet, historyValue))) {
        if (isDescendant(t1.source, t2.source)) {
          transitionsToRemove.add(t2);
        } else {
          t1Preempted = true;
          break;
        }
      }
    }
    if (!t1Preempted) {
      for (const t3 of transitionsToRemove) {
        filteredTransitions.delete(t3);
      }
      filteredTransitions.add(t1);
    }
  }
  return Array.from(filteredTransitions);
}
function findLeastCommonAncestor(stateNodes) {
  const [head, ...tail] = stateNodes;
  for (const ancestor of getProperAncestors(head, void 0)) {
    if (tail.every((sn) => isDescendant(sn, ancestor))) {
      return ancestor;
    }
  }
}
function getEffectiveTargetStates(transition, historyValue) {
  if (!transition.target) {
    return [];
  }
  const targets = /* @__PURE__ */ new Set();
  for (const targetNode of transition.target) {
    if (isHistoryNode(targetNode)) {
      if (historyValue[targetNode.id]) {
        for (const node of historyValue[targetNode.id]) {
          targets.add(node);
        }
      } else {
        for (const node of getEffectiveTargetStates(resolveHistoryDefaultTransition(targetNode), historyValue)) {
          targets.add(node);
        }
      }
    } else {
      targets.add(targetNode);
    }
  }
  return [...targets];
}
function getTransitionDomain(transition, historyValue) {
  const targetStates = getEffectiveTargetStates(transition, historyValue);
  if (!targetStates) {
    return;
  }
  if (!transition.reenter && targetStates.every((target) => target === transition.source || isDescendant(target, transition.source))) {
    return transition.source;
  }
  const lca = findLeastCommonAncestor(targetStates.concat(transition.source));
  if (lca) {
    return lca;
  }
  if (transition.reenter) {
    return;
  }
  return transition.source.machine.root;
}
function computeExitSet(transitions, stateNodeSet, historyValue) {
  const statesToExit = /* @__PURE__ */ new Set();
  for (const t of transitions) {
    if (t.target?.length) {
      const domain = getTransitionDomain(t, historyValue);
      if (t.reenter && t.source === domain) {
        statesToExit.add(domain);
      }
      for (const stateNode of stateNodeSet) {
        if (isDescendant(stateNode, domain)) {
          statesToExit.add(stateNode);
        }
      }
    }
  }
  return [...statesToExit];
}
function areStateNodeCollectionsEqual(prevStateNodes, nextStateNodeSet) {
  if (prevStateNodes.length !== nextStateNodeSet.size) {
    return false;
  }
  for (const node of prevStateNodes) {
    if (!nextStateNodeSet.has(node)) {
      return false;
    }
  }
  return true;
}
function initialMicrostep(root, preInitialState, actorScope, initEvent, internalQueue) {
  return microstep([{
    target: [...getInitialStateNodes(root)],
    source: root,
    reenter: true,
    actions: [],
    eventType: null,
    toJSON: null
  }], preInitialState, actorScope, initEvent, true, internalQueue);
}
function microstep(transitions, currentSnapshot, actorScope, event, isInitial, internalQueue) {
  const actions = [];
  if (!transitions.length) {
    return [currentSnapshot, actions];
  }
  const originalExecutor = actorScope.actionExecutor;
  actorScope.actionExecutor = (action) => {
    actions.push(action);
    originalExecutor(action);
  };
  try {
    const mutStateNodeSet = new Set(currentSnapshot._nodes);
    let historyValue = currentSnapshot.historyValue;
    const filteredTransitions = removeConflictingTransitions(transitions, mutStateNodeSet, historyValue);
    let nextState = currentSnapshot;
    if (!isInitial) {
      [nextState, historyValue] = exitStates(nextState, event, actorScope, filteredTransitions, mutStateNodeSet, historyValue, internalQueue, actorScope.actionExecutor);
    }
    nextState = resolveActionsAndContext(nextState, event, actorScope, filteredTransitions.flatMap((t) => t.actions), internalQueue, void 0);
    nextState = enterStates(nextState, event, actorScope, filteredTransitions, mutStateNodeSet, internalQueue, historyValue, isInitial);
    const nextStateNodes = [...mutStateNodeSet];
    if (nextState.status === "done") {
      nextState = resolveActionsAndContext(nextState, event, actorScope, nextStateNodes.sort((a, b) => b.order - a.order).flatMap((state) => state.exit), internalQueue, void 0);
    }
    try {
      if (historyValue === currentSnapshot.historyValue && areStateNodeCollectionsEqual(currentSnapshot._nodes, mutStateNodeSet)) {
        return [nextState, actions];
      }
      return [cloneMachineSnapshot(nextState, {
        _nodes: nextStateNodes,
        historyValue
      }), actions];
    } catch (e) {
      throw e;
    }
  } finally {
    actorScope.actionExecutor = originalExecutor;
  }
}
function getMachineOutput(snapshot, event, actorScope, rootNode, rootCompletionNode) {
  if (rootNode.output === void 0) {
    return;
  }
  const doneStateEvent = createDoneStateEvent(rootCompletionNode.id, rootCompletionNode.output !== void 0 && rootCompletionNode.parent ? resolveOutput(rootCompletionNode.output, snapshot.context, event, actorScope.self) : void 0);
  return resolveOutput(rootNode.output, snapshot.context, doneStateEvent, actorScope.self);
}
function enterStates(currentSnapshot, event, actorScope, filteredTransitions, mutStateNodeSet, internalQueue, historyValue, isInitial) {
  let nextSnapshot = currentSnapshot;
  const statesToEnter = /* @__PURE__ */ new Set();
  const statesForDefaultEntry = /* @__PURE__ */ new Set();
  computeEntrySet(filteredTransitions, historyValue, statesForDefaultEntry, statesToEnter);
  if (isInitial) {
    statesForDefaultEntry.add(currentSnapshot.machine.root);
  }
  const completedNodes = /* @__PURE__ */ new Set();
  for (const stateNodeToEnter of [...statesToEnter].sort((a, b) => a.order - b.order)) {
    mutStateNodeSet.add(stateNodeToEnter);
    const actions = [];
    actions.push(...stateNodeToEnter.entry);
    for (const invokeDef of stateNodeToEnter.invoke) {
      actions.push(spawnChild(invokeDef.src, {
        ...invokeDef,
        syncSnapshot: !!invokeDef.onSnapshot
      }));
    }
    if (statesForDefaultEntry.has(stateNodeToEnter)) {
      const initialActions = stateNodeToEnter.initial.actions;
      actions.push(...initialActions);
    }
    nextSnapshot = resolveActionsAndContext(nextSnapshot, event, actorScope, actions, internalQueue, stateNodeToEnter.invoke.map((invokeDef) => invokeDef.id));
    if (stateNodeToEnter.type === "final") {
      const parent = stateNodeToEnter.parent;
      let ancestorMarker = parent?.type === "parallel" ? parent : parent?.parent;
      let rootCompletionNode = ancestorMarker || stateNodeToEnter;
      if (parent?.type === "compound") {
        internalQueue.push(createDoneStateEvent(parent.id, stateNodeToEnter.output !== void 0 ? resolveOutput(stateNodeToEnter.output, nextSnapshot.context, event, actorScope.self) : void 0));
      }
      while (ancestorMarker?.type === "parallel" && !completedNodes.has(ancestorMarker) && isInFinalState(mutStateNodeSet, ancestorMarker)) {
        completedNodes.add(ancestorMarker);
        internalQueue.push(createDoneStateEvent(ancestorMarker.id));
        rootCompletionNode = ancestorMarker;
        ancestorMarker = ancestorMarker.parent;
      }
      if (ancestorMarker) {
        continue;
      }
      nextSnapshot = cloneMachineSnapshot(nextSnapshot, {
        status: "done",
        output: getMachineOutput(nextSnapshot, event, actorScope, nextSnapshot.machine.root, rootCompletionNode)
      });
    }
  }
  return nextSnapshot;
}
function computeEntrySet(transitions, historyValue, statesForDefaultEntry, statesToEnter) {
  for (const t of transitions) {
    const domain = getTransitionDomain(t, historyValue);
    for (const s of t.target || []) {
      if (!isHistoryNode(s) && // if the target is different than the source then it will *definitely* be entered
      (t.source !== s || // we know that the domain can't lie within the source
      // if it's different than the source then it's outside of it and it means that the target has to be entered as well
      t.source !== domain || // reentering transitions always enter the target, even if it's the source itself
      t.reenter)) {
        statesToEnter.add(s);
        statesForDefaultEntry.add(s);
      }
      addDescendantStatesToEnter(s, historyValue, statesForDefaultEntry, statesToEnter);
    }
    const targetStates = getEffectiveTargetStates(t, historyValue);
    for (const s of targetStates) {
      const ancestors = getProperAncestors(s, domain);
      if (domain?.type === "parallel") {
        ancestors.push(domain);
      }
      addAncestorStatesToEnter(statesToEnter, historyValue, statesForDefaultEntry, ancestors, !t.source.parent && t.reenter ? void 0 : domain);
    }
  }
}
function addDescendantStatesToEnter(stateNode, historyValue, statesForDefaultEntry, statesToEnter) {
  if (isHistoryNode(stateNode)) {
    if (historyValue[stateNode.id]) {
      const historyStateNodes = historyValue[stateNode.id];
      for (const s of historyStateNodes) {
        statesToEnter.add(s);
        addDescendantStatesToEnter(s, historyValue, statesForDefaultEntry, statesToEnter);
      }
      for (const s of historyStateNodes) {
        addProperAncestorStatesToEnter(s, stateNode.parent, statesToEnter, historyValue, statesForDefaultEntry);
      }
    } else {
      const historyDefaultTransition = resolveHistoryDefaultTransition(stateNode);
      for (const s of historyDefaultTransition.target) {
        statesToEnter.add(s);
        if (historyDefaultTransition === stateNode.parent?.initial) {
          statesForDefaultEntry.add(stateNode.parent);
        }
        addDescendantStatesToEnter(s, historyValue, statesForDefaultEntry, statesToEnter);
      }
      for (const s of historyDefaultTransition.target) {
        addProperAncestorStatesToEnter(s, stateNode.parent, statesToEnter, historyValue, statesForDefaultEntry);
      }
    }
  } else {
    if (stateNode.type === "compound") {
      const [initialState2] = stateNode.initial.target;
      if (!isHistoryNode(initialState2)) {
        statesToEnter.add(initialState2);
        statesForDefaultEntry.add(initialState2);
      }
      addDescendantStatesToEnter(initialState2, historyValue, statesForDefaultEntry, statesToEnter);
      addProperAncestorStatesToEnter(initialState2, stateNode, statesToEnter, historyValue, statesForDefaultEntry);
    } else {
      if (stateNode.type === "parallel") {
        for (const child of getChildren(stateNode).filter((sn) => !isHistoryNode(sn))) {
          if (![...statesToEnter].some((s) => isDescendant(s, child))) {
            if (!isHistoryNode(child)) {
              statesToEnter.add(child);
              statesForDefaultEntry.add(child);
            }
            addDescendantStatesToEnter(child, historyValue, statesForDefaultEntry, statesToEnter);
          }
        }
      }
    }
  }
}
function addAncestorStatesToEnter(statesToEnter, historyValue, statesForDefaultEntry, ancestors, reentrancyDomain) {
  for (const anc of ancestors) {
    if (!reentrancyDomain || isDescendant(anc, reentrancyDomain)) {
      statesToEnter.add(anc);
    }
    if (anc.type === "parallel") {
      for (const child of getChildren(anc).filter((sn) => !isHistoryNode(sn))) {
        if (![...statesToEnter].some((s) => isDescendant(s, child))) {
          statesToEnter.add(child);
          addDescendantStatesToEnter(child, historyValue, statesForDefaultEntry, statesToEnter);
        }
      }
    }
  }
}
function addProperAncestorStatesToEnter(stateNode, toStateNode, statesToEnter, historyValue, statesForDefaultEntry) {
  addAncestorStatesToEnter(statesToEnter, historyValue, statesForDefaultEntry, getProperAncestors(stateNode, toStateNode));
}
function exitStates(currentSnapshot, event, actorScope, transitions, mutStateNodeSet, historyValue, internalQueue, _actionExecutor) {
  let nextSnapshot = currentSnapshot;
  const statesToExit = computeExitSet(transitions, mutStateNodeSet, historyValue);
  statesToExit.sort((a, b) => b.order - a.order);
  let changedHistory;
  for (const exitStateNode of statesToExit) {
    for (const historyNode of getHistoryNodes(exitStateNode)) {
      let predicate;
      if (historyNode.history === "deep") {
        predicate = (sn) => isAtomicStateNode(sn) && isDescendant(sn, exitStateNode);
      } else {
        predicate = (sn) => {
          return sn.parent === exitStateNode;
        };
      }
      changedHistory ??= {
        ...historyValue
      };
      changedHistory[historyNode.id] = Array.from(mutStateNodeSet).filter(predicate);
    }
  }
  for (const s of statesToExit) {
    nextSnapshot = resolveActionsAndContext(nextSnapshot, event, actorScope, [...s.exit, ...s.invoke.map((def) => stopChild(def.id))], internalQueue, void 0);
    mutStateNodeSet.delete(s);
  }
  return [nextSnapshot, changedHistory || historyValue];
}
function getAction(machine, actionType) {
  return machine.implementations.actions[actionType];
}
function resolveAndExecuteActionsWithContext(currentSnapshot, event, actorScope, actions, extra, retries) {
  const {
    machine
  } = currentSnapshot;
  let intermediateSnapshot = currentSnapshot;
  for (const action of actions) {
    const isInline = typeof action === "function";
    const resolvedAction = isInline ? action : (
      // the existing type of `.actions` assumes non-nullable `TExpressionAction`
      // it's fine to cast this here to get a common type and lack of errors in the rest of the code
      // our logic below makes sure that we call those 2 "variants" correctly
      getAction(machine, typeof action === "string" ? action : action.type)
    );
    const actionArgs = {
      context: intermediateSnapshot.context,
      event,
      self: actorScope.self,
      system: actorScope.system
    };
    const actionParams = isInline || typeof action === "string" ? void 0 : "params" in action ? typeof action.params === "function" ? action.params({
      context: intermediateSnapshot.context,
      event
    }) : action.params : void 0;
    if (!resolvedAction || !("resolve" in resolvedAction)) {
      actorScope.actionExecutor({
        type: typeof action === "string" ? action : typeof action === "object" ? action.type : action.name || "(anonymous)",
        info: actionArgs,
        params: actionParams,
        exec: resolvedAction
      });
      continue;
    }
    const builtinAction = resolvedAction;
    const [nextState, params, actions2] = builtinAction.resolve(
      actorScope,
      intermediateSnapshot,
      actionArgs,
      actionParams,
      resolvedAction,
      // this holds all params
      extra
    );
    intermediateSnapshot = nextState;
    if ("retryResolve" in builtinAction) {
      retries?.push([builtinAction, params]);
    }
    if ("execute" in builtinAction) {
      actorScope.actionExecutor({
        type: builtinAction.type,
        info: actionArgs,
        params,
        exec: builtinAction.execute.bind(null, actorScope, params)
      });
    }
    if (actions2) {
      intermediateSnapshot = resolveAndExecuteActionsWithContext(intermediateSnapshot, event, actorScope, actions2, extra, retries);
    }
  }
  return intermediateSnapshot;
}
function resolveActionsAndContext(currentSnapshot, event, actorScope, actions, internalQueue, deferredActorIds) {
  const retries = deferredActorIds ? [] : void 0;
  const nextState = resolveAndExecuteActionsWithContext(currentSnapshot, event, actorScope, actions, {
    internalQueue,
    deferredActorIds
  }, retries);
  retries?.forEach(([builtinAction, params]) => {
    builtinAction.retryResolve(actorScope, nextState, params);
  });
  return nextState;
}
function macrostep(snapshot, event, actorScope, internalQueue) {
  let nextSnapshot = snapshot;
  const microsteps = [];
  function addMicrostep(step2, event2, transitions) {
    actorScope.system._sendInspectionEvent({
      type: "@xstate.microstep",
      actorRef: actorScope.self,
      event: event2,
      snapshot: step2[0],
      _transitions: transitions
    });
    microsteps.push(step2);
  }
  if (event.type === XSTATE_STOP) {
    nextSnapshot = cloneMachineSnapshot(stopChildren(nextSnapshot, event, actorScope), {
      status: "stopped"
    });
    addMicrostep([nextSnapshot, []], event, []);
    return {
      snapshot: nextSnapshot,
      microsteps
    };
  }
  let nextEvent = event;
  if (nextEvent.type !== XSTATE_INIT) {
    const currentEvent = nextEvent;
    const isErr = isErrorActorEvent(currentEvent);
    const transitions = selectTransitions(currentEvent, nextSnapshot);
    if (isErr && !transitions.length) {
      nextSnapshot = cloneMachineSnapshot(stopChildren(nextSnapshot, currentEvent, actorScope), {
        status: "error",
        error: currentEvent.error
      });
      addMicrostep([nextSnapshot, []], currentEvent, []);
      return {
        snapshot: nextSnapshot,
        microsteps
      };
    }
    const step2 = microstep(
      transitions,
      snapshot,
      actorScope,
      nextEvent,
      false,
      // isInitial
      internalQueue
    );
    nextSnapshot = step2[0];
    addMicrostep(step2, currentEvent, transitions);
  }
  let shouldSelectEventlessTransitions = true;
  const maxIterations = snapshot.machine.options?.maxIterations ?? Infinity;
  let iterationCount = 0;
  while (nextSnapshot.status === "active") {
    iterationCount++;
    if (iterationCount > maxIterations) {
      throw new Error(`Infinite loop detected: the machine has processed more than ${maxIterations} microsteps without reaching a stable state. This usually happens when there's a cycle of transitions (e.g., eventless transitions or raised events causing state A -> B -> C -> A).`);
    }
    let enabledTransitions = shouldSelectEventlessTransitions ? selectEventlessTransitions(nextSnapshot, nextEvent) : [];
    const previousState = enabledTransitions.length ? nextSnapshot : void 0;
    if (!enabledTransitions.length) {
      if (!internalQueue.length) {
        break;
      }
      nextEvent = internalQueue.shift();
      enabledTransitions = selectTransitions(nextEvent, nextSnapshot);
    }
    const step2 = microstep(enabledTransitions, nextSnapshot, actorScope, nextEvent, false, internalQueue);
    nextSnapshot = step2[0];
    shouldSelectEventlessTransitions = nextSnapshot !== previousState;
    addMicrostep(step2, nextEvent, enabledTransitions);
  }
  if (nextSnapshot.status !== "active") {
    stopChildren(nextSnapshot, nextEvent, actorScope);
  }
  return {
    snapshot: nextSnapshot,
    microsteps
  };
}
function stopChildren(nextState, event, actorScope) {
  return resolveActionsAndContext(nextState, event, actorScope, Object.values(nextState.children).map((child) => stopChild(child)), [], void 0);
}
function selectTransitions(event, nextState) {
  return nextState.machine.getTransitionData(nextState, event);
}
function selectEventlessTransitions(nextState, event) {
  const enabledTransitionSet = /* @__PURE__ */ new Set();
  const atomicStates = nextState._nodes.filter(isAtomicStateNode);
  for (const stateNode of atomicStates) {
    loop: for (const s of [stateNode].concat(getProperAncestors(stateNode, void 0))) {
      if (!s.always) {
        continue;
      }
      for (const transition of s.always) {
        if (transition.guard === void 0 || evaluateGuard(transition.guard, nextState.context, event, nextState)) {
          enabledTransitionSet.add(transition);
          break loop;
        }
      }
    }
  }
  return removeConflictingTransitions(Array.from(enabledTransitionSet), new Set(nextState._nodes), nextState.historyValue);
}
function resolveStateValue(rootNode, stateValue) {
  const allStateNodes = getAllStateNodes(getStateNodes(rootNode, stateValue));
  return getStateValue(rootNode, [...allStateNodes]);
}
function isMachineSnapshot(value) {
  return !!value && typeof value === "object" && "machine" in value && "value" in value;
}
var machineSnapshotMatches = function matches(testValue) {
  return matchesState(testValue, this.value);
};
var machineSnapshotHasTag = function hasTag(tag) {
  return this.tags.has(tag);
};
var machineSnapshotCan = function can(event) {
  const transitionData = this.machine.getTransitionData(this, event);
  return !!transitionData?.length && // Check that at least one transition is not forbidden
  transitionData.some((t) => t.target !== void 0 || t.actions.length);
};
var machineSnapshotToJSON = function toJSON() {
  const {
    _nodes: nodes,
    tags,
    machine,
    getMeta: getMeta2,
    toJSON: toJSON2,
    can: can2,
    hasTag: hasTag2,
    matches: matches2,
    ...jsonValues
  } = this;
  return {
    ...jsonValues,
    tags: Array.from(tags)
  };
};
var machineSnapshotGetMeta = function getMeta() {
  return this._nodes.reduce((acc, stateNode) => {
    if (stateNode.meta !== void 0) {
      acc[stateNode.id] = stateNode.meta;
    }
    return acc;
  }, {});
};
function createMachineSnapshot(config, machine) {
  return {
    status: config.status,
    output: config.output,
    error: config.error,
    machine,
    context: config.context,
    _nodes: config._nodes,
    value: getStateValue(machine.root, config._nodes),
    tags: new Set(config._nodes.flatMap((sn) => sn.tags)),
    children: config.children,
    historyValue: config.historyValue || {},
    matches: machineSnapshotMatches,
    hasTag: machineSnapshotHasTag,
    can: machineSnapshotCan,
    getMeta: machineSnapshotGetMeta,
    toJSON: machineSnapshotToJSON
  };
}
function cloneMachineSnapshot(snapshot, config = {}) {
  return createMachineSnapshot({
    ...snapshot,
    ...config
  }, snapshot.machine);
}
function serializeHistoryValue(historyValue) {
  if (typeof historyValue !== "object" || historyValue === null) {
    return {};
  }
  const result = {};
  for (const key in historyValue) {
    const value = historyValue[key];
    if (Array.isArray(value)) {
      result[key] = value.map((item) => ({
        id: item.id
      }));
    }
  }
  return result;
}
function getPersistedSnapshot(snapshot, options) {
  const {
    _nodes: nodes,
    tags,
    machine,
    children,
    context,
    can: can2,
    hasTag: hasTag2,
    matches: matches2,
    getMeta: getMeta2,
    toJSON: toJSON2,
    ...jsonValues
  } = snapshot;
  const childrenJson = {};
  for (const id in children) {
    const child = children[id];
    childrenJson[id] = {
      snapshot: child.getPersistedSnapshot(options),
      src: child.src,
      systemId: child.systemId,
      syncSnapshot: child._syncSnapshot
    };
  }
  const persisted = {
    ...jsonValues,
    context: persistContext(context),
    children: childrenJson,
    historyValue: serializeHistoryValue(jsonValues.historyValue)
  };
  return persisted;
}
function persistContext(contextPart) {
  let copy;
  for (const key in contextPart) {
    const value = contextPart[key];
    if (value && typeof value === "object") {
      if ("sessionId" in value && "send" in value && "ref" in value) {
        copy ??= Array.isArray(contextPart) ? contextPart.slice() : {
          ...contextPart
        };
        copy[key] = {
          xstate$$type: $$ACTOR_TYPE,
          id: value.id
        };
      } else {
        const result = persistContext(value);
        if (result !== value) {
          copy ??= Array.isArray(contextPart) ? contextPart.slice() : {
            ...contextPart
          };
          copy[key] = result;
        }
      }
    }
  }
  return copy ?? contextPart;
}
function resolveRaise(_, snapshot, args, actionParams, {
  event: eventOrExpr,
  id,
  delay
}, {
  internalQueue
}) {
  const delaysMap = snapshot.machine.implementations.delays;
  if (typeof eventOrExpr === "string") {
    throw new Error(
      // oxlint-disable-next-line typescript/restrict-template-expressions
      `Only event objects may be used with raise; use raise({ type: "${eventOrExpr}" }) instead`
    );
  }
  const resolvedEvent = typeof eventOrExpr === "function" ? eventOrExpr(args, actionParams) : eventOrExpr;
  let resolvedDelay;
  if (typeof delay === "string") {
    const configDelay = delaysMap && delaysMap[delay];
    resolvedDelay = typeof configDelay === "function" ? configDelay(args, actionParams) : configDelay;
  } else {
    resolvedDelay = typeof delay === "function" ? delay(args, actionParams) : delay;
  }
  if (typeof resolvedDelay !== "number") {
    internalQueue.push(resolvedEvent);
  }
  return [snapshot, {
    event: resolvedEvent,
    id,
    delay: resolvedDelay
  }, void 0];
}
function executeRaise(actorScope, params) {
  const {
    event,
    delay,
    id
  } = params;
  if (typeof delay === "number") {
    actorScope.defer(() => {
      const self2 = actorScope.self;
      actorScope.system.scheduler.schedule(self2, self2, event, delay, id);
    });
    return;
  }
}
function raise(eventOrExpr, options) {
  function raise2(_args, _params) {
  }
  raise2.type = "xstate.raise";
  raise2.event = eventOrExpr;
  raise2.id = options?.id;
  raise2.delay = options?.delay;
  raise2.resolve = resolveRaise;
  raise2.execute = executeRaise;
  return raise2;
}

// node_modules/xstate/dist/assign-1f0d7720.esm.js
function createSpawner(actorScope, {
  machine,
  context
}, event, spawnedChildren) {
  const spawn = (src, options) => {
    if (typeof src === "string") {
      const logic = resolveReferencedActor(machine, src);
      if (!logic) {
        throw new Error(`Actor logic '${src}' not implemented in machine '${machine.id}'`);
      }
      const actorRef = createActor(logic, {
        id: options?.id,
        parent: actorScope.self,
        syncSnapshot: options?.syncSnapshot,
        input: typeof options?.input === "function" ? options.input({
          context,
          event,
          self: actorScope.self
        }) : options?.input,
        src,
        systemId: options?.systemId
      });
      spawnedChildren[actorRef.id] = actorRef;
      return actorRef;
    } else {
      const actorRef = createActor(src, {
        id: options?.id,
        parent: actorScope.self,
        syncSnapshot: options?.syncSnapshot,
        input: options?.input,
        src,
        systemId: options?.systemId
      });
      return actorRef;
    }
  };
  return (src, options) => {
    const actorRef = spawn(src, options);
    spawnedChildren[actorRef.id] = actorRef;
    actorScope.defer(() => {
      if (actorRef._processingStatus === ProcessingStatus.Stopped) {
        return;
      }
      actorRef.start();
    });
    return actorRef;
  };
}
function resolveAssign(actorScope, snapshot, actionArgs, actionParams, {
  assignment
}) {
  if (!snapshot.context) {
    throw new Error("Cannot assign to undefined `context`. Ensure that `context` is defined in the machine config.");
  }
  const spawnedChildren = {};
  const assignArgs = {
    context: snapshot.context,
    event: actionArgs.event,
    spawn: createSpawner(actorScope, snapshot, actionArgs.event, spawnedChildren),
    self: actorScope.self,
    system: actorScope.system
  };
  let partialUpdate = {};
  if (typeof assignment === "function") {
    partialUpdate = assignment(assignArgs, actionParams);
  } else {
    for (const key of Object.keys(assignment)) {
      const propAssignment = assignment[key];
      partialUpdate[key] = typeof propAssignment === "function" ? propAssignment(assignArgs, actionParams) : propAssignment;
    }
  }
  const updatedContext = Object.assign({}, snapshot.context, partialUpdate);
  return [cloneMachineSnapshot(snapshot, {
    context: updatedContext,
    children: Object.keys(spawnedChildren).length ? {
      ...snapshot.children,
      ...spawnedChildren
    } : snapshot.children
  }), void 0, void 0];
}
function assign(assignment) {
  function assign2(_args, _params) {
  }
  assign2.type = "xstate.assign";
  assign2.assignment = assignment;
  assign2.resolve = resolveAssign;
  return assign2;
}

// node_modules/xstate/dist/StateMachine-ae06a22b.esm.js
var cache = /* @__PURE__ */ new WeakMap();
function memo(object, key, fn) {
  let memoizedData = cache.get(object);
  if (!memoizedData) {
    memoizedData = {
      [key]: fn()
    };
    cache.set(object, memoizedData);
  } else if (!(key in memoizedData)) {
    memoizedData[key] = fn();
  }
  return memoizedData[key];
}
var EMPTY_OBJECT = {};
var toSerializableAction = (action) => {
  if (typeof action === "string") {
    return {
      type: action
    };
  }
  if (typeof action === "function") {
    if ("resolve" in action) {
      return {
        type: action.type
      };
    }
    return {
      type: action.name
    };
  }
  return action;
};
var StateNode = class _StateNode {
  constructor(config, options) {
    this.config = config;
    this.key = void 0;
    this.id = void 0;
    this.type = void 0;
    this.path = void 0;
    this.states = void 0;
    this.history = void 0;
    this.entry = void 0;
    this.exit = void 0;
    this.parent = void 0;
    this.machine = void 0;
    this.meta = void 0;
    this.output = void 0;
    this.order = -1;
    this.description = void 0;
    this.tags = [];
    this.transitions = void 0;
    this.always = void 0;
    this.parent = options._parent;
    this.key = options._key;
    this.machine = options._machine;
    this.path = this.parent ? this.parent.path.concat(this.key) : [];
    this.id = this.config.id || [this.machine.id, ...this.path].join(STATE_DELIMITER);
    this.type = this.config.type || (this.config.states && Object.keys(this.config.states).length ? "compound" : this.config.history ? "history" : "atomic");
    this.description = this.config.description;
    this.order = this.machine.idMap.size;
    this.machine.idMap.set(this.id, this);
    this.states = this.config.states ? mapValues(this.config.states, (stateConfig, key) => {
      const stateNode = new _StateNode(stateConfig, {
        _parent: this,
        _key: key,
        _machine: this.machine
      });
      return stateNode;
    }) : EMPTY_OBJECT;
    if (this.type === "compound" && !this.config.initial) {
      throw new Error(`No initial state specified for compound state node "#${this.id}". Try adding { initial: "${Object.keys(this.states)[0]}" } to the state config.`);
    }
    this.history = this.config.history === true ? "shallow" : this.config.history || false;
    this.entry = toArray(this.config.entry).slice();
    this.exit = toArray(this.config.exit).slice();
    this.meta = this.config.meta;
    this.output = this.type === "final" || !this.parent ? this.config.output : void 0;
    this.tags = toArray(config.tags).slice();
  }
  /** @internal */
  _initialize() {
    this.transitions = formatTransitions(this);
    if (this.config.always) {
      this.always = toTransitionConfigArray(this.config.always).map((t) => formatTransition(this, NULL_EVENT, t));
    }
    Object.keys(this.states).forEach((key) => {
      this.states[key]._initialize();
    });
  }
  /** The well-structured state node definition. */
  get definition() {
    return {
      id: this.id,
      key: this.key,
      version: this.machine.version,
      type: this.type,
      initial: this.initial ? {
        target: this.initial.target,
        source: this,
        actions: this.initial.actions.map(toSerializableAction),
        eventType: null,
        reenter: false,
        meta: this.initial.meta,
        description: this.initial.description,
        toJSON: () => ({
          target: this.initial.target.map((t) => `#${t.id}`),
          source: `#${this.id}`,
          actions: this.initial.actions.map(toSerializableAction),
          eventType: null,
          meta: this.initial.meta,
          description: this.initial.description
        })
      } : void 0,
      history: this.history,
      states: mapValues(this.states, (state) => state.definition),
      on: this.on,
      transitions: [...this.transitions.values()].flat().map((t) => ({
        ...t,
        actions: t.actions.map(toSerializableAction)
      })),
      entry: this.entry.map(toSerializableAction),
      exit: this.exit.map(toSerializableAction),
      meta: this.meta,
      order: this.order || -1,
      output: this.output,
      invoke: this.invoke,
      description: this.description,
      tags: this.tags
    };
  }
  /** @internal */
  toJSON() {
    return this.definition;
  }
  /** The logic invoked as actors by this state node. */
  get invoke() {
    return memo(this, "invoke", () => toArray(this.config.invoke).map((invokeConfig, i) => {
      const {
        src,
        systemId
      } = invokeConfig;
      const resolvedId = invokeConfig.id ?? createInvokeId(this.id, i);
      const sourceName = typeof src === "string" ? src : `xstate.invoke.${createInvokeId(this.id, i)}`;
      return {
        ...invokeConfig,
        src: sourceName,
        id: resolvedId,
        systemId,
        toJSON() {
          const {
            onDone,
            onError,
            ...invokeDefValues
          } = invokeConfig;
          return {
            ...invokeDefValues,
            type: "xstate.invoke",
            src: sourceName,
            id: resolvedId
          };
        }
      };
    }));
  }
  /** The mapping of events to transitions. */
  get on() {
    return memo(this, "on", () => {
      const transitions = this.transitions;
      return [...transitions].flatMap(([descriptor, t]) => t.map((t2) => [descriptor, t2])).reduce((map, [descriptor, transition]) => {
        map[descriptor] = map[descriptor] || [];
        map[descriptor].push(transition);
        return map;
      }, {});
    });
  }
  get after() {
    return memo(this, "delayedTransitions", () => getDelayedTransitions(this));
  }
  get initial() {
    return memo(this, "initial", () => formatInitialTransition(this, this.config.initial));
  }
  /** @internal */
  next(snapshot, event) {
    const eventType = event.type;
    const actions = [];
    let selectedTransition;
    const candidates = memo(this, `candidates-${eventType}`, () => getCandidates(this, eventType));
    for (const candidate of candidates) {
      const {
        guard
      } = candidate;
      const resolvedContext = snapshot.context;
      let guardPassed = false;
      try {
        guardPassed = !guard || evaluateGuard(guard, resolvedContext, event, snapshot);
      } catch (err) {
        const guardType = typeof guard === "string" ? guard : typeof guard === "object" ? guard.type : void 0;
        throw new Error(`Unable to evaluate guard ${guardType ? `'${guardType}' ` : ""}in transition for event '${eventType}' in state node '${this.id}':
${err.message}`);
      }
      if (guardPassed) {
        actions.push(...candidate.actions);
        selectedTransition = candidate;
        break;
      }
    }
    return selectedTransition ? [selectedTransition] : void 0;
  }
  /** All the event types accepted by this state node and its descendants. */
  get events() {
    return memo(this, "events", () => {
      const {
        states
      } = this;
      const events = new Set(this.ownEvents);
      if (states) {
        for (const stateId of Object.keys(states)) {
          const state = states[stateId];
          if (state.states) {
            for (const event of state.events) {
              events.add(`${event}`);
            }
          }
        }
      }
      return Array.from(events);
    });
  }
  /**
   * All the events that have transitions directly from this state node.
   *
   * Excludes any inert events.
   */
  get ownEvents() {
    const keys = Object.keys(Object.fromEntries(this.transitions));
    const events = new Set(keys.filter((descriptor) => {
      return this.transitions.get(descriptor).some((transition) => !(!transition.target && !transition.actions.length && !transition.reenter));
    }));
    return Array.from(events);
  }
};
var STATE_IDENTIFIER2 = "#";
var StateMachine = class _StateMachine {
  constructor(config, implementations) {
    this.config = config;
    this.version = void 0;
    this.schemas = void 0;
    this.implementations = void 0;
    this.options = void 0;
    this.__xstatenode = true;
    this.idMap = /* @__PURE__ */ new Map();
    this.root = void 0;
    this.id = void 0;
    this.states = void 0;
    this.events = void 0;
    this.id = config.id || "(machine)";
    this.implementations = {
      actors: implementations?.actors ?? {},
      actions: implementations?.actions ?? {},
      delays: implementations?.delays ?? {},
      guards: implementations?.guards ?? {}
    };
    this.version = this.config.version;
    this.schemas = this.config.schemas;
    this.options = {
      maxIterations: Infinity,
      ...this.config.options
    };
    this.transition = this.transition.bind(this);
    this.getInitialSnapshot = this.getInitialSnapshot.bind(this);
    this.getPersistedSnapshot = this.getPersistedSnapshot.bind(this);
    this.restoreSnapshot = this.restoreSnapshot.bind(this);
    this.start = this.start.bind(this);
    this.root = new StateNode(config, {
      _key: this.id,
      _machine: this
    });
    this.root._initialize();
    formatRouteTransitions(this.root);
    this.states = this.root.states;
    this.events = this.root.events;
  }
  /**
   * Clones this state machine with the provided implementations.
   *
   * @param implementations Options (`actions`, `guards`, `actors`, `delays`) to
   *   recursively merge with the existing options.
   * @returns A new `StateMachine` instance with the provided implementations.
   */
  provide(implementations) {
    const {
      actions,
      guards,
      actors,
      delays
    } = this.implementations;
    return new _StateMachine(this.config, {
      actions: {
        ...actions,
        ...implementations.actions
      },
      guards: {
        ...guards,
        ...implementations.guards
      },
      actors: {
        ...actors,
        ...implementations.actors
      },
      delays: {
        ...delays,
        ...implementations.delays
      }
    });
  }
  resolveState(config) {
    const resolvedStateValue = resolveStateValue(this.root, config.value);
    const nodeSet = getAllStateNodes(getStateNodes(this.root, resolvedStateValue));
    return createMachineSnapshot({
      _nodes: [...nodeSet],
      context: config.context || {},
      children: {},
      status: isInFinalState(nodeSet, this.root) ? "done" : config.status || "active",
      output: config.output,
      error: config.error,
      historyValue: config.historyValue
    }, this);
  }
  /**
   * Determines the next snapshot given the current `snapshot` and received
   * `event`. Calculates a full macrostep from all microsteps.
   *
   * @param snapshot The current snapshot
   * @param event The received event
   */
  transition(snapshot, event, actorScope) {
    return macrostep(snapshot, event, actorScope, []).snapshot;
  }
  /**
   * Determines the next state given the current `state` and `event`. Calculates
   * a microstep.
   *
   * @param state The current state
   * @param event The received event
   */
  microstep(snapshot, event, actorScope) {
    return macrostep(snapshot, event, actorScope, []).microsteps.map(([s]) => s);
  }
  getTransitionData(snapshot, event) {
    return transitionNode(this.root, snapshot.value, snapshot, event) || [];
  }
  /**
   * The initial state _before_ evaluating any microsteps. This "pre-initial"
   * state is provided to initial actions executed in the initial state.
   *
   * @internal
   */
  _getPreInitialState(actorScope, initEvent, internalQueue) {
    const {
      context
    } = this.config;
    const preInitial = createMachineSnapshot({
      context: typeof context !== "function" && context ? context : {},
      _nodes: [this.root],
      children: {},
      status: "active"
    }, this);
    if (typeof context === "function") {
      const assignment = ({
        spawn,
        event,
        self: self2
      }) => context({
        spawn,
        input: event.input,
        self: self2
      });
      return resolveActionsAndContext(preInitial, initEvent, actorScope, [assign(assignment)], internalQueue, void 0);
    }
    return preInitial;
  }
  /**
   * Returns the initial `State` instance, with reference to `self` as an
   * `ActorRef`.
   */
  getInitialSnapshot(actorScope, input) {
    const initEvent = createInitEvent(input);
    const internalQueue = [];
    let snapshot = createMachineSnapshot({
      context: typeof this.config.context !== "function" && this.config.context ? this.config.context : {},
      _nodes: [this.root],
      children: {},
      status: "active"
    }, this);
    try {
      snapshot = this._getPreInitialState(actorScope, initEvent, internalQueue);
      const [nextState] = initialMicrostep(this.root, snapshot, actorScope, initEvent, internalQueue);
      const {
        snapshot: macroState
      } = macrostep(nextState, initEvent, actorScope, internalQueue);
      return macroState;
    } catch (error) {
      return cloneMachineSnapshot(snapshot, {
        status: "error",
        error
      });
    }
  }
  start(snapshot) {
    Object.values(snapshot.children).forEach((child) => {
      if (child.getSnapshot().status === "active") {
        child.start();
      }
    });
  }
  getStateNodeById(stateId) {
    const fullPath = toStatePath(stateId);
    const relativePath = fullPath.slice(1);
    const resolvedStateId = isStateId(fullPath[0]) ? fullPath[0].slice(STATE_IDENTIFIER2.length) : fullPath[0];
    const stateNode = this.idMap.get(resolvedStateId);
    if (!stateNode) {
      throw new Error(`Child state node '#${resolvedStateId}' does not exist on machine '${this.id}'`);
    }
    return getStateNodeByPath(stateNode, relativePath);
  }
  get definition() {
    return this.root.definition;
  }
  toJSON() {
    return this.definition;
  }
  getPersistedSnapshot(snapshot, options) {
    return getPersistedSnapshot(snapshot, options);
  }
  restoreSnapshot(snapshot, _actorScope) {
    const children = {};
    const snapshotChildren = snapshot.children;
    Object.keys(snapshotChildren).forEach((actorId) => {
      const actorData = snapshotChildren[actorId];
      const childState = actorData.snapshot;
      const src = actorData.src;
      const logic = typeof src === "string" ? resolveReferencedActor(this, src) : src;
      if (!logic) {
        return;
      }
      const actorRef = createActor(logic, {
        id: actorId,
        parent: _actorScope.self,
        syncSnapshot: actorData.syncSnapshot,
        snapshot: childState,
        src,
        systemId: actorData.systemId
      });
      children[actorId] = actorRef;
    });
    function resolveHistoryReferencedState(root, referenced) {
      if (referenced instanceof StateNode) {
        return referenced;
      }
      try {
        return root.machine.getStateNodeById(referenced.id);
      } catch {
      }
    }
    function reviveHistoryValue(root, historyValue) {
      if (!historyValue || typeof historyValue !== "object") {
        return {};
      }
      const revived = {};
      for (const key in historyValue) {
        const arr = historyValue[key];
        for (const item of arr) {
          const resolved = resolveHistoryReferencedState(root, item);
          if (!resolved) {
            continue;
          }
          revived[key] ??= [];
          revived[key].push(resolved);
        }
      }
      return revived;
    }
    const revivedHistoryValue = reviveHistoryValue(this.root, snapshot.historyValue);
    const restoredSnapshot = createMachineSnapshot({
      ...snapshot,
      children,
      _nodes: Array.from(getAllStateNodes(getStateNodes(this.root, snapshot.value))),
      historyValue: revivedHistoryValue
    }, this);
    const seen = /* @__PURE__ */ new Set();
    function reviveContext(contextPart, children2) {
      if (seen.has(contextPart)) {
        return;
      }
      seen.add(contextPart);
      for (const key in contextPart) {
        const value = contextPart[key];
        if (value && typeof value === "object") {
          if ("xstate$$type" in value && value.xstate$$type === $$ACTOR_TYPE) {
            contextPart[key] = children2[value.id];
            continue;
          }
          reviveContext(value, children2);
        }
      }
    }
    reviveContext(restoredSnapshot.context, children);
    return restoredSnapshot;
  }
};

// node_modules/xstate/dist/log-6a5e50a8.esm.js
function resolveEmit(_, snapshot, args, actionParams, {
  event: eventOrExpr
}) {
  const resolvedEvent = typeof eventOrExpr === "function" ? eventOrExpr(args, actionParams) : eventOrExpr;
  return [snapshot, {
    event: resolvedEvent
  }, void 0];
}
function executeEmit(actorScope, {
  event
}) {
  actorScope.defer(() => actorScope.emit(event));
}
function emit(eventOrExpr) {
  function emit2(_args, _params) {
  }
  emit2.type = "xstate.emit";
  emit2.event = eventOrExpr;
  emit2.resolve = resolveEmit;
  emit2.execute = executeEmit;
  return emit2;
}
var SpecialTargets = /* @__PURE__ */ (function(SpecialTargets2) {
  SpecialTargets2["Parent"] = "#_parent";
  SpecialTargets2["Internal"] = "#_internal";
  return SpecialTargets2;
})({});
function resolveSendTo(actorScope, snapshot, args, actionParams, {
  to,
  event: eventOrExpr,
  id,
  delay
}, extra) {
  const delaysMap = snapshot.machine.implementations.delays;
  if (typeof eventOrExpr === "string") {
    throw new Error(
      // oxlint-disable-next-line typescript/restrict-template-expressions
      `Only event objects may be used with sendTo; use sendTo({ type: "${eventOrExpr}" }) instead`
    );
  }
  const resolvedEvent = typeof eventOrExpr === "function" ? eventOrExpr(args, actionParams) : eventOrExpr;
  let resolvedDelay;
  if (typeof delay === "string") {
    const configDelay = delaysMap && delaysMap[delay];
    resolvedDelay = typeof configDelay === "function" ? configDelay(args, actionParams) : configDelay;
  } else {
    resolvedDelay = typeof delay === "function" ? delay(args, actionParams) : delay;
  }
  const resolvedTarget = typeof to === "function" ? to(args, actionParams) : to;
  let targetActorRef;
  if (typeof resolvedTarget === "string") {
    if (resolvedTarget === SpecialTargets.Parent) {
      targetActorRef = actorScope.self._parent;
    } else if (resolvedTarget === SpecialTargets.Internal) {
      targetActorRef = actorScope.self;
    } else if (resolvedTarget.startsWith("#_")) {
      targetActorRef = snapshot.children[resolvedTarget.slice(2)];
    } else {
      targetActorRef = extra.deferredActorIds?.includes(resolvedTarget) ? resolvedTarget : snapshot.children[resolvedTarget];
    }
    if (!targetActorRef) {
      throw new Error(`Unable to send event to actor '${resolvedTarget}' from machine '${snapshot.machine.id}'.`);
    }
  } else {
    targetActorRef = resolvedTarget || actorScope.self;
  }
  return [snapshot, {
    to: targetActorRef,
    targetId: typeof resolvedTarget === "string" ? resolvedTarget : void 0,
    event: resolvedEvent,
    id,
    delay: resolvedDelay
  }, void 0];
}
function retryResolveSendTo(_, snapshot, params) {
  if (typeof params.to === "string") {
    params.to = snapshot.children[params.to];
  }
}
function executeSendTo(actorScope, params) {
  actorScope.defer(() => {
    const {
      to,
      event,
      delay,
      id
    } = params;
    if (typeof delay === "number") {
      actorScope.system.scheduler.schedule(actorScope.self, to, event, delay, id);
      return;
    }
    actorScope.system._relay(
      actorScope.self,
      // at this point, in a deferred task, it should already be mutated by retryResolveSendTo
      // if it initially started as a string
      to,
      event.type === XSTATE_ERROR ? createErrorActorEvent(actorScope.self.id, event.data) : event
    );
  });
}
function sendTo(to, eventOrExpr, options) {
  function sendTo2(_args, _params) {
  }
  sendTo2.type = "xstate.sendTo";
  sendTo2.to = to;
  sendTo2.event = eventOrExpr;
  sendTo2.id = options?.id;
  sendTo2.delay = options?.delay;
  sendTo2.resolve = resolveSendTo;
  sendTo2.retryResolve = retryResolveSendTo;
  sendTo2.execute = executeSendTo;
  return sendTo2;
}
function sendParent(event, options) {
  return sendTo(SpecialTargets.Parent, event, options);
}
function resolveEnqueueActions(actorScope, snapshot, args, actionParams, {
  collect
}) {
  const actions = [];
  const enqueue = function enqueue2(action) {
    actions.push(action);
  };
  enqueue.assign = (...args2) => {
    actions.push(assign(...args2));
  };
  enqueue.cancel = (...args2) => {
    actions.push(cancel(...args2));
  };
  enqueue.raise = (...args2) => {
    actions.push(raise(...args2));
  };
  enqueue.sendTo = (...args2) => {
    actions.push(sendTo(...args2));
  };
  enqueue.sendParent = (...args2) => {
    actions.push(sendParent(...args2));
  };
  enqueue.spawnChild = (...args2) => {
    actions.push(spawnChild(...args2));
  };
  enqueue.stopChild = (...args2) => {
    actions.push(stopChild(...args2));
  };
  enqueue.emit = (...args2) => {
    actions.push(emit(...args2));
  };
  collect({
    context: args.context,
    event: args.event,
    enqueue,
    check: (guard) => evaluateGuard(guard, snapshot.context, args.event, snapshot),
    self: actorScope.self,
    system: actorScope.system
  }, actionParams);
  return [snapshot, void 0, actions];
}
function enqueueActions(collect) {
  function enqueueActions2(_args, _params) {
  }
  enqueueActions2.type = "xstate.enqueueActions";
  enqueueActions2.collect = collect;
  enqueueActions2.resolve = resolveEnqueueActions;
  return enqueueActions2;
}
function resolveLog(_, snapshot, actionArgs, actionParams, {
  value,
  label
}) {
  return [snapshot, {
    value: typeof value === "function" ? value(actionArgs, actionParams) : value,
    label
  }, void 0];
}
function executeLog({
  logger: logger2
}, {
  value,
  label
}) {
  if (label) {
    logger2(label, value);
  } else {
    logger2(value);
  }
}
function log(value = ({
  context,
  event
}) => ({
  context,
  event
}), label) {
  function log2(_args, _params) {
  }
  log2.type = "xstate.log";
  log2.value = value;
  log2.label = label;
  log2.resolve = resolveLog;
  log2.execute = executeLog;
  return log2;
}

// node_modules/xstate/dist/xstate.esm.js
function createMachine(config, implementations) {
  return new StateMachine(config, implementations);
}
function setup({
  schemas,
  actors,
  actions,
  guards,
  delays
}) {
  return {
    assign,
    sendTo,
    raise,
    log,
    cancel,
    stopChild,
    enqueueActions,
    emit,
    spawnChild,
    createStateConfig: (config) => config,
    createAction: (fn) => fn,
    createMachine: (config) => createMachine({
      ...config,
      schemas
    }, {
      actors,
      actions,
      guards,
      delays
    }),
    extend: (extended) => setup({
      schemas,
      actors,
      actions: {
        ...actions,
        ...extended.actions
      },
      guards: {
        ...guards,
        ...extended.guards
      },
      delays: {
        ...delays,
        ...extended.delays
      }
    })
  };
}
var defaultWaitForOptions = {
  timeout: Infinity
  // much more than 10 seconds
};
function waitFor(actorRef, predicate, options) {
  const resolvedOptions = {
    ...defaultWaitForOptions,
    ...options
  };
  return new Promise((res, rej) => {
    const {
      signal
    } = resolvedOptions;
    if (signal?.aborted) {
      rej(signal.reason);
      return;
    }
    let done = false;
    const handle = resolvedOptions.timeout === Infinity ? void 0 : setTimeout(() => {
      dispose();
      rej(new Error(`Timeout of ${resolvedOptions.timeout} ms exceeded`));
    }, resolvedOptions.timeout);
    const dispose = () => {
      clearTimeout(handle);
      done = true;
      sub?.unsubscribe();
      if (abortListener) {
        signal.removeEventListener("abort", abortListener);
      }
    };
    function checkEmitted(emitted) {
      if (predicate(emitted)) {
        dispose();
        res(emitted);
      }
    }
    let abortListener;
    let sub;
    checkEmitted(actorRef.getSnapshot());
    if (done) {
      return;
    }
    if (signal) {
      abortListener = () => {
        dispose();
        rej(signal.reason);
      };
      signal.addEventListener("abort", abortListener);
    }
    sub = actorRef.subscribe({
      next: checkEmitted,
      error: (err) => {
        dispose();
        rej(err);
      },
      complete: () => {
        dispose();
        rej(new Error(`Actor terminated without satisfying predicate`));
      }
    });
    if (done) {
      sub.unsubscribe();
    }
  });
}

// actors/runtime/step.ts
var EMIT = "xstate.emit";
var scopes = /* @__PURE__ */ new WeakMap();
function scopeOf(machine) {
  let s = scopes.get(machine);
  if (!s) {
    const self2 = createActor(machine);
    const actions = [];
    const scope = {
      self: self2,
      defer: () => {
      },
      id: "",
      logger: () => {
      },
      sessionId: "",
      stopChild: () => {
      },
      system: self2.system,
      emit: () => {
      },
      actionExecutor: (a) => {
        actions.push(a);
      }
    };
    s = { scope, actions };
    scopes.set(machine, s);
  }
  s.actions.length = 0;
  return s;
}
function effectsOf(actions) {
  const out = [];
  for (const a of actions) {
    if (a.type === EMIT) out.push(a.params.event);
  }
  return out;
}
function persist(s) {
  if (s.status === "error") throw s.error ?? new Error("machine error");
  return { value: s.value, context: s.context };
}
function earliestDeadline(state) {
  const d = state.context?.deadlines;
  if (!d) return null;
  let min = null;
  for (const v of Object.values(d)) if (typeof v === "number" && (min === null || v < min)) min = v;
  return min;
}
function dueDeadlines(state, now) {
  const d = state.context?.deadlines;
  if (!d) return [];
  return Object.entries(d).filter(([, at]) => typeof at === "number" && at <= now).map(([name, at]) => ({ name, at })).sort((a, b) => a.at - b.at);
}
function initialState(kind, id) {
  const { scope, actions } = scopeOf(kind.machine);
  const snap = kind.machine.getInitialSnapshot(scope, kind.input?.(id));
  const state = persist(snap);
  return { state, effects: effectsOf(actions), deadline: earliestDeadline(state) };
}
function restore(kind, state, machineVersion) {
  if (machineVersion === kind.version) return state;
  if (machineVersion > kind.version) throw new Error(`${kind.kind} snapshot has machine version ${machineVersion}, newer than this code (${kind.version})`);
  if (!kind.migrate) throw new Error(`${kind.kind} snapshot has machine version ${machineVersion} and the kind has no migrate()`);
  return kind.migrate(state, machineVersion);
}
function step(kind, state, event) {
  const snapshot = kind.machine.resolveState(state);
  const { scope, actions } = scopeOf(kind.machine);
  const next = kind.machine.transition(snapshot, event, scope);
  const nextState = persist(next);
  return { state: nextState, effects: effectsOf(actions), deadline: earliestDeadline(nextState) };
}

// actors/runtime/plan.ts
var actorKey = (kind, id) => `${kind}.${id}`;
function emptyPlan() {
  return { changes: /* @__PURE__ */ new Map(), inbox: /* @__PURE__ */ new Map(), sends: [], writes: [], outcomes: [], applied: [], refused: [], staged: [], counts: [], failures: [] };
}
function apartChanged(keys, base, next) {
  if (!base) return true;
  return keys.some((k) => base.context?.[k] !== next.context?.[k]);
}
function isDurable(plan) {
  return plan.changes.size > 0 || plan.inbox.size > 0 || plan.sends.length > 0 || plan.writes.length > 0;
}
function mergePlan(into, later) {
  for (const [ak, c] of later.changes) {
    const prior = into.changes.get(ak);
    into.changes.set(ak, prior ? { ...c, base: prior.base, baseState: prior.baseState } : c);
  }
  for (const [k, e] of later.inbox) {
    into.inbox.delete(k);
    into.inbox.set(k, e);
  }
  into.sends.push(...later.sends);
  into.writes.push(...later.writes);
  into.outcomes.push(...later.outcomes);
  into.applied.push(...later.applied);
  into.refused.push(...later.refused);
  into.staged.push(...later.staged);
  into.counts.push(...later.counts);
  into.failures.push(...later.failures);
  return into;
}
function parseMessage(msg, kinds, poisoned) {
  const addr = parseActorSubject(msg.subject);
  if (!addr) return { msg, kind: "?", id: "?", error: new TroupeError("bad_request", `not an actor subject: ${msg.subject}`) };
  const kind = kinds.get(addr.kind);
  if (!kind) return { msg, kind: addr.kind, id: addr.id, error: new TroupeError("not_found", `no actor kind "${addr.kind}"`) };
  if (poisoned.has(msg.key)) return { msg, kind: addr.kind, id: addr.id, error: new TroupeError("internal", "the message could not be applied (logged)") };
  let body;
  try {
    body = decodeJson(msg.data);
  } catch {
    return { msg, kind: addr.kind, id: addr.id, error: new TroupeError("bad_json", "message body is not JSON") };
  }
  const meta = { at: msg.time, key: msg.key, from: msg.from, asked: msg.replyTo !== void 0 };
  if (body?.type === TIMERS) return { msg, kind: addr.kind, id: addr.id, event: { type: TIMERS, meta } };
  try {
    validate(kind.messages, body, "bad_request", `${addr.kind} message`);
  } catch (e) {
    return { msg, kind: addr.kind, id: addr.id, error: e };
  }
  return { msg, kind: addr.kind, id: addr.id, event: { ...body, meta } };
}
function needsLoad(p, kinds) {
  return p.event !== void 0 && p.event.type !== TIMERS && kinds.get(p.kind)?.loads?.[p.event.type] !== void 0;
}
function planBatch(input) {
  const { kinds, epoch, partitions } = input;
  const plan = emptyPlan();
  const seen = new Map(input.seen);
  const current = (ak) => plan.changes.get(ak)?.stored ?? input.actorOf(ak);
  const judge = (p, reply, final) => {
    const { msg } = p;
    const stored = msg.replyTo ? reply ?? null : null;
    plan.inbox.delete(msg.key);
    plan.inbox.set(msg.key, { key: msg.key, kind: p.kind, id: p.id, seq: msg.seq, reply: stored, final });
    seen.set(msg.key, { reply: stored, final, seq: msg.seq });
  };
  for (const p of input.parsed) {
    const { msg } = p;
    const prior = seen.get(msg.key);
    if (prior?.final) {
      plan.outcomes.push({ msg, reply: prior.reply ?? void 0, publishes: [] });
      plan.counts.push({ kind: p.kind, outcome: "duplicate" });
      continue;
    }
    if (!p.event) {
      const reply2 = errorReply(p.error.code, p.error.message);
      plan.outcomes.push({ msg, reply: reply2, publishes: [] });
      judge(p, reply2, isFinalReply(reply2));
      plan.counts.push({ kind: p.kind, outcome: p.error.code });
      continue;
    }
    const kind = kinds.get(p.kind);
    const ak = actorKey(p.kind, p.id);
    const was = current(ak);
    const effects2 = [];
    let before = null;
    let state;
    let reply;
    try {
      if (!was || was.version === 0 && was.state === null) {
        const init = initialState(kind, p.id);
        state = init.state;
        effects2.push(...init.effects);
        if (init.effects.length === 0) before = state;
      } else {
        state = restore(kind, was.state, was.machineVersion);
        before = state;
      }
      if (p.event.type === TIMERS) {
        for (const due of dueDeadlines(state, msg.time)) {
          const r = step(kind, state, { type: "timer", name: due.name, meta: p.event.meta });
          state = r.state;
          effects2.push(...r.effects);
        }
      } else {
        const r = step(kind, state, p.event);
        state = r.state;
        effects2.push(...r.effects);
      }
      for (const eff of effects2) if (eff.type === "write" && !kind.writers?.[eff.op]) throw new Error(`${p.kind} has no writer for "${eff.op}"`);
    } catch (error) {
      plan.failures.push({ actor: ak, type: p.event.type, error });
      reply = errorReply("internal", "the actor failed to handle this message (logged)");
      plan.outcomes.push({ msg, reply, publishes: [] });
      judge(p, reply, false);
      plan.counts.push({ kind: p.kind, outcome: "machine_error" });
      continue;
    }
    for (const eff of effects2) {
      if (eff.type === "reply") reply ??= okReply(eff.body);
      else if (eff.type === "fail") reply ??= errorReply(eff.code, eff.message);
    }
    const answersOnly = effects2.every((e) => e.type === "reply" || e.type === "fail");
    if (answersOnly && before !== null && (!reply || reply.ok) && untouched(before, state)) {
      if (!reply && msg.replyTo) reply = okReply();
      plan.outcomes.push({ msg, reply, publishes: [] });
      plan.counts.push({ kind: p.kind, outcome: "unchanged" });
      continue;
    }
    if (answersOnly && before !== null && !isFinalReply(reply) && JSON.stringify(state) === JSON.stringify(before)) {
      plan.outcomes.push({ msg, reply, publishes: [] });
      judge(p, reply, false);
      plan.refused.push({ actor: ak, key: msg.key, seq: msg.seq });
      plan.counts.push({ kind: p.kind, outcome: reply.error.code });
      continue;
    }
    const publishes = [];
    let sendIndex = 0;
    for (const eff of effects2) {
      switch (eff.type) {
        case "publish":
          publishes.push({ subject: eff.subject, body: eff.body });
          break;
        case "send": {
          const target = subjects.actor(eff.kind, partitionOf(eff.kind, eff.id, partitions), eff.id);
          plan.sends.push({ subject: target, key: eff.key ?? `${msg.key}/${sendIndex++}`, body: eff.body, origin: ak });
          break;
        }
        case "write":
          plan.writes.push({ writer: kind.writers[eff.op], op: eff.op, data: eff.data, actor: { kind: p.kind, id: p.id } });
          break;
        default:
          break;
      }
    }
    if (!reply && msg.replyTo) reply = okReply();
    const version = (was?.version ?? 0) + 1;
    const earlier = plan.changes.get(ak);
    plan.changes.set(ak, {
      kind: p.kind,
      id: p.id,
      base: earlier ? earlier.base : was?.version ?? 0,
      baseState: earlier ? earlier.baseState : was?.state ?? void 0,
      stored: { version, epoch, machineVersion: kind.version, state, deadline: earliestDeadline(state) }
    });
    plan.outcomes.push({ msg, reply, publishes });
    judge(p, reply, true);
    plan.applied.push({ actor: ak, version, key: msg.key, seq: msg.seq });
    plan.staged.push({ actor: ak, version, seq: msg.seq, state });
    plan.counts.push({ kind: p.kind, outcome: reply && !reply.ok ? reply.error.code : "ok" });
  }
  return plan;
}
function answerQuery(kind, id, stored, event) {
  try {
    const state = stored ? restore(kind, stored.state, stored.machineVersion) : initialState(kind, id).state;
    let reply;
    for (const eff of step(kind, state, event).effects) {
      if (eff.type === "reply") reply ??= okReply(eff.body);
      else if (eff.type === "fail") reply ??= errorReply(eff.code, eff.message);
    }
    return reply ?? okReply();
  } catch {
    return errorReply("internal", "the actor failed to answer this query");
  }
}
function untouched(before, after) {
  return before.context === after.context && (before.value === after.value || JSON.stringify(before.value) === JSON.stringify(after.value));
}

// actors/runtime/ports.ts
var FencedError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "FencedError";
  }
};
var PublishRefused = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "PublishRefused";
  }
};
var VersionConflict = class extends Error {
  constructor(message) {
    super(message);
    this.name = "VersionConflict";
  }
};

// actors/runtime/metrics.ts
var runtimeMetrics = {
  messages: counter("troupe_actor_messages_total", "mailbox messages handled, by kind and outcome", ["kind", "outcome"]),
  batchSize: histogram("troupe_actor_batch_messages", "messages per partition transaction", [], [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]),
  commitMessages: histogram("troupe_actor_commit_messages", "mailbox messages per commit transaction (all partitions in it)", [], [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]),
  queries: counter("troupe_actor_queries_total", "queries answered from a lease holder's memory, by kind and outcome", ["kind", "outcome"]),
  commitParts: histogram("troupe_actor_commit_partitions", "partitions whose batches share one commit transaction", [], [1, 2, 4, 8, 16, 32, 64, 128, 256]),
  commitSeconds: histogram("troupe_actor_commit_duration_seconds", "time of one commit transaction of the host committer"),
  commitSplits: counter("troupe_actor_commit_splits_total", "commits of several partitions that failed and were committed part by part"),
  batchSeconds: histogram("troupe_actor_batch_duration_seconds", "time to process one partition batch (transaction included)"),
  partitions: gauge("troupe_actor_partitions_held", "partitions this host holds"),
  activeActors: gauge("troupe_actor_active", "actors active in memory on this host"),
  fenced: counter("troupe_actor_fenced_total", "partition transactions refused by the fence (lost leases)"),
  retries: counter("troupe_actor_batch_retries_total", "partition batches retried after an error", ["reason"])
};

// actors/runtime/committer.ts
var CommitTimeout = class extends Error {
  constructor(ms) {
    super(`commit not settled after ${ms} ms`);
    this.name = "CommitTimeout";
  }
};
function isDeterministic(e) {
  const code = e.code ?? e.cause?.code;
  return typeof code === "string" && /^(22|23|42)/.test(code);
}
function onePartsFault(e) {
  const code = e.code;
  return e instanceof FencedError || e instanceof VersionConflict || isDeterministic(e) || typeof code === "string" && code.startsWith("21");
}
var Committer = class {
  constructor(store, clock, opts = {}) {
    this.store = store;
    this.clock = clock;
    this.opts = { maxMessages: 1024, concurrency: 1, lingerMs: 0, lingerMessages: 32, timeoutMs: 15e3, ...opts };
    this.log = logger("actor-committer");
  }
  store;
  clock;
  /** Sources with a batch waiting, in the order they became ready. */
  waiting = /* @__PURE__ */ new Set();
  inFlight = 0;
  log;
  opts;
  lastEnded = -Infinity;
  linger;
  lingered = false;
  /** `source` has a batch staged: it goes into the next commit. */
  ready(source) {
    this.waiting.add(source);
    this.kick();
  }
  /** `source` no longer has a batch staged (it discarded it). */
  withdraw(source) {
    this.waiting.delete(source);
  }
  kick() {
    while (this.inFlight < this.opts.concurrency && this.waiting.size > 0) {
      if (this.shouldLinger()) return;
      const taken = [];
      let messages = 0;
      for (const source of this.waiting) {
        if (messages >= this.opts.maxMessages) break;
        this.waiting.delete(source);
        const part = source.seal();
        if (!part) continue;
        messages += part.messages ?? 0;
        taken.push({ source, part });
      }
      if (taken.length === 0) return;
      this.inFlight++;
      void this.commit(taken, messages).finally(() => {
        this.inFlight--;
        this.lastEnded = this.clock.now();
        this.kick();
      });
    }
  }
  /** Whether to wait a little for more messages before starting a commit (arms the wait). */
  shouldLinger() {
    if (this.opts.lingerMs <= 0 || this.lingered) return false;
    if (this.linger) return true;
    if (this.clock.now() - this.lastEnded > this.opts.lingerMs) return false;
    let waiting = 0;
    for (const s of this.waiting) waiting += s.pending();
    if (waiting >= this.opts.lingerMessages) return false;
    this.linger = this.clock.setTimer(this.opts.lingerMs, () => {
      this.linger = void 0;
      this.lingered = true;
      try {
        this.kick();
      } finally {
        this.lingered = false;
      }
    });
    return true;
  }
  /** The store's commit, failing with CommitTimeout if it has not settled in time. */
  commitWithin(parts) {
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimer(this.opts.timeoutMs, () => reject(new CommitTimeout(this.opts.timeoutMs)));
      this.store.commit(parts).then(
        (v) => {
          timer.cancel();
          resolve(v);
        },
        (e) => {
          timer.cancel();
          reject(e);
        }
      );
    });
  }
  async commit(taken, messages) {
    const started = performance.now();
    try {
      const sent = await this.commitWithin(taken.map((t) => t.part));
      runtimeMetrics.commitMessages.observe(messages);
      runtimeMetrics.commitParts.observe(taken.length);
      runtimeMetrics.commitSeconds.observe((performance.now() - started) / 1e3);
      taken.forEach((t, i) => t.source.settle({ sent: sent[i] }));
    } catch (e) {
      if (taken.length > 1 && onePartsFault(e)) {
        runtimeMetrics.commitSplits.inc();
        this.log.debug({ err: e.message, parts: taken.length }, "commit failed; committing its parts one by one");
        for (const t of taken) {
          try {
            const [sent] = await this.commitWithin([t.part]);
            runtimeMetrics.commitMessages.observe(t.part.messages ?? 0);
            runtimeMetrics.commitParts.observe(1);
            t.source.settle({ sent });
          } catch (err) {
            t.source.settle({ error: err });
          }
        }
        return;
      }
      for (const t of taken) t.source.settle({ error: e });
    }
  }
};

// actors/runtime/worker.ts
var SEQ_FLUSH_MS = 1e3;
var PartitionWorker = class {
  constructor(cfg, deps) {
    this.cfg = cfg;
    this.deps = deps;
    this.log = logger("actor-worker", { p: cfg.partition, epoch: cfg.epoch });
    this.committer = deps.committer ?? new Committer(deps.store, deps.clock);
  }
  cfg;
  deps;
  /** Committed states of the actors in memory. */
  cache = /* @__PURE__ */ new Map();
  /** The latest staged, not yet committed, state of each actor a batch in hand changed. */
  staged = /* @__PURE__ */ new Map();
  /** Keys the batches in hand judged (a later message with the key sees that judgement). */
  stagedKeys = /* @__PURE__ */ new Map();
  timers = /* @__PURE__ */ new Map();
  log;
  committer;
  /** Received from the feed, not yet planned, in stream order. */
  backlog = [];
  /** The highest stream sequence taken from the feed (a redelivery at or below it is skipped). */
  receivedSeq = 0;
  appliedSeq = 0;
  /** Applied in memory by answers that wrote nothing, not yet recorded. */
  unrecordedSeq = 0;
  seqFlush;
  /** Planned, waiting for the next commit; and the batch in the commit in flight. */
  open;
  sealed;
  /** Bumped when staged work is discarded: a plan that read across it starts over. */
  generation = 0;
  batches = 0;
  failure;
  /** Planning waits for a commit to settle (the head message loads facts of a staged actor, or the batch is full). */
  blocked = false;
  waiters = [];
  /** Answers that wrote nothing left the recorded sequence behind for a while: record it. */
  flushWanted = false;
  feed;
  feedError;
  loop;
  pump;
  stopping = false;
  lost = false;
  sweeper;
  outboxQueue = [];
  /** Keys of messages whose domain writes fail every time: applied as errors, not retried forever. */
  poisoned = /* @__PURE__ */ new Set();
  /** Read applied keys before the next batch even when its actors are in memory (after a conflict). */
  verify = false;
  /** After a deterministic failure: commit this many messages one at a time to find the culprit. */
  oneByOne = 0;
  attempts = 0;
  delay = 50;
  outboxBusy;
  queries;
  get partition() {
    return this.cfg.partition;
  }
  get activeCount() {
    return this.cache.size;
  }
  /** Fences the partition, republishes its outbox, re-arms its timers and starts consuming. */
  async start() {
    const { store, mailboxes } = this.deps;
    const { appliedSeq } = await store.fence(this.cfg.partition, this.cfg.epoch, this.cfg.hostId);
    this.appliedSeq = appliedSeq;
    this.receivedSeq = appliedSeq;
    this.outboxQueue.push(...await store.outbox(this.cfg.partition));
    this.kickOutbox();
    for (const t of await store.deadlines(this.cfg.partition)) this.arm(t.kind, t.id, t.deadline);
    this.feed = await mailboxes.open(this.cfg.partition, appliedSeq + 1, this.cfg.epoch);
    this.queries = this.deps.bus.serve?.(subjects.actorQueryPartition(this.cfg.partition), (req) => void this.answer(req));
    this.scheduleSweep();
    this.pump = this.consume();
    this.loop = this.run();
  }
  /** Graceful stop: no more fetching, commit what is planned, flush the outbox. */
  async stop() {
    this.stopping = true;
    this.queries?.stop();
    this.sweeper?.cancel();
    await this.feed?.stop();
    this.signal();
    await this.pump;
    await this.loop;
    await this.outboxBusy;
    this.seqFlush?.cancel();
    for (const t of this.timers.values()) t.timer.cancel();
    this.timers.clear();
    this.cache.clear();
  }
  /** The lease is gone: stop at once; nothing more will commit (the store's fence guarantees it). */
  abort() {
    this.stopping = true;
    this.lost = true;
    this.queries?.stop();
    this.sweeper?.cancel();
    this.seqFlush?.cancel();
    void this.feed?.stop();
    this.committer.withdraw(this);
    this.open = void 0;
    for (const t of this.timers.values()) t.timer.cancel();
    this.timers.clear();
    this.cache.clear();
    this.staged.clear();
    this.stagedKeys.clear();
    this.signal();
  }
  /** Wakes the planning loop and the consuming pump (whichever waits). */
  signal() {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
  signalled() {
    return new Promise((r) => this.waiters.push(r));
  }
  /** Takes messages from the feed into the backlog as they come, while commits are in flight. */
  async consume() {
    while (!this.stopping) {
      if (this.backlog.length >= this.cfg.maxBatch * 2) {
        await this.signalled();
        continue;
      }
      let msgs;
      try {
        msgs = await this.feed.next(this.cfg.maxBatch);
      } catch (e) {
        if (!this.stopping) this.feedError = e;
        this.signal();
        return;
      }
      for (const msg of msgs) {
        if (msg.seq <= this.receivedSeq) {
          msg.ack();
          continue;
        }
        this.receivedSeq = msg.seq;
        this.backlog.push(msg);
      }
      if (msgs.length) this.signal();
    }
  }
  async run() {
    for (; ; ) {
      if (this.lost) return;
      if (this.feedError && !this.stopping) {
        this.log.warn({ err: this.feedError.message }, "partition feed failed; giving the partition up");
        this.loseLease(`feed failed: ${this.feedError.message}`);
        return;
      }
      if (this.failure) {
        if (!await this.recover()) return;
        continue;
      }
      if (this.stopping) {
        if (!this.open && !this.sealed) return;
        await this.signalled();
        continue;
      }
      if (this.flushWanted && !this.open && !this.sealed) {
        this.flushWanted = false;
        if (this.unrecordedSeq > this.appliedSeq) {
          const id = ++this.batches;
          this.deps.observer?.batchStarted?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, [], id);
          this.open = { id, msgs: [], lastSeq: this.unrecordedSeq, plan: emptyPlan(), actors: /* @__PURE__ */ new Set(), persistSeq: true, startedAt: performance.now() };
          this.committer.ready(this);
        }
        continue;
      }
      if (this.backlog.length === 0 || this.blocked) {
        await this.signalled();
        continue;
      }
      if (!this.deps.leaseValid()) {
        this.loseLease("lease not renewed in time");
        return;
      }
      await this.planRound();
    }
  }
  loseLease(reason) {
    if (this.lost) return;
    this.abort();
    this.deps.onLost(reason);
  }
  /** Handles a failed commit (its messages are back at the head of the backlog); false: give up. */
  async recover() {
    const { error, msgs } = this.failure;
    this.failure = void 0;
    const attempt = this.attempts++;
    if (error instanceof FencedError) {
      runtimeMetrics.fenced.inc();
      this.log.warn({ err: error.message }, "fenced out: another host holds this partition now");
      this.loseLease(error.message);
      return false;
    }
    if (error instanceof VersionConflict) {
      runtimeMetrics.retries.labels("version_conflict").inc();
      this.log.warn({ err: error.message }, "stale snapshot or applied key; reloading");
      this.cache.clear();
      this.verify = true;
      if (attempt >= 5) {
        this.loseLease(`persistent version conflict: ${error.message}`);
        return false;
      }
      await this.backoff();
      return true;
    }
    if (isDeterministic(error) && msgs > 1) {
      runtimeMetrics.retries.labels("split").inc();
      this.oneByOne = msgs;
      this.attempts = 0;
      return true;
    }
    if (isDeterministic(error) && msgs === 1) {
      runtimeMetrics.retries.labels("poison").inc();
      const culprit = this.backlog[0];
      this.log.error({ err: error, key: culprit?.key, subject: culprit?.subject }, "message failed deterministically; answering internal and skipping it");
      if (culprit) this.poisoned.add(culprit.key);
      this.oneByOne = Math.max(this.oneByOne, 1);
      return true;
    }
    runtimeMetrics.retries.labels("transient").inc();
    if (attempt % 10 === 0) this.log.warn({ err: error.message, attempt }, "batch failed; retrying");
    await this.backoff();
    return !(this.stopping && !this.lost);
  }
  async backoff() {
    await this.deps.clock.sleep(this.delay);
    this.delay = Math.min(this.delay * 2, 2e3);
  }
  /** How many backlog messages the next round may plan. */
  room() {
    if (this.oneByOne > 0) return this.open || this.sealed ? 0 : 1;
    return this.cfg.maxBatch - (this.open?.msgs.length ?? 0);
  }
  /**
   * Plans a prefix of the backlog on top of what is staged and adds it to the open batch: all of
   * it that fits, unless a message must read rows its actor's earlier messages are about to write;
   * planning stops before it until those have committed.
   */
  async planRound() {
    const { kinds, store, observer, clock } = this.deps;
    const room = this.room();
    const parsed = [];
    const touched = /* @__PURE__ */ new Set();
    for (const msg of this.backlog) {
      if (parsed.length >= room) break;
      const p = parseMessage(msg, kinds, this.poisoned);
      const ak = actorKey(p.kind, p.id);
      if (needsLoad(p, kinds) && (this.staged.has(ak) || touched.has(ak))) break;
      touched.add(ak);
      parsed.push(p);
    }
    if (parsed.length === 0) {
      this.blocked = true;
      return;
    }
    const generation = this.generation;
    const actors = [...new Set(parsed.filter((p) => p.event).map((p) => actorKey(p.kind, p.id)))];
    const starting = !this.open;
    const id = this.open?.id ?? ++this.batches;
    if (starting) observer?.batchStarted?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, actors, id);
    const missing = /* @__PURE__ */ new Map();
    const now = clock.now();
    for (const p of parsed) {
      if (!p.event) continue;
      const ak = actorKey(p.kind, p.id);
      const cached = this.cache.get(ak);
      if (cached) cached.lastUsed = now;
      else if (!this.staged.has(ak)) missing.set(ak, { kind: p.kind, id: p.id });
    }
    const loading = parsed.filter((p) => needsLoad(p, kinds));
    let seen;
    let loaded;
    let loadedRows;
    try {
      [{ seen, actors: loaded }, loadedRows] = await Promise.all([
        missing.size || this.verify ? store.read(parsed.map((p) => p.msg.key), [...missing.values()]) : { seen: /* @__PURE__ */ new Map(), actors: /* @__PURE__ */ new Map() },
        loading.length ? store.lookup(loading.map((p) => (db) => kinds.get(p.kind).loads[p.event.type](p.event, { kind: p.kind, id: p.id }, db))) : []
      ]);
    } catch (e) {
      if (starting) observer?.batchFailed?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, actors, e, id);
      if (generation === this.generation && !this.lost) this.failure = { error: e, msgs: parsed.length };
      return;
    }
    if (generation !== this.generation || this.lost) {
      if (starting) observer?.batchFailed?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, actors, new Error("superseded"), id);
      return;
    }
    loading.forEach((p, i) => {
      p.event = { ...p.event, loaded: loadedRows[i] };
    });
    for (const [ak, s] of loaded) {
      const [kind, id2] = [ak.slice(0, ak.indexOf(".")), ak.slice(ak.indexOf(".") + 1)];
      this.cache.set(ak, { kind, id: id2, stored: s, lastUsed: now });
    }
    for (const [k, v] of this.stagedKeys) seen.set(k, v.result);
    const plan = planBatch({
      kinds,
      epoch: this.cfg.epoch,
      partitions: this.cfg.partitions,
      parsed,
      seen,
      actorOf: (ak) => this.staged.get(ak) ?? this.cache.get(ak)?.stored
    });
    this.backlog.splice(0, parsed.length);
    this.signal();
    for (const f of plan.failures) this.log.error({ err: f.error, actor: f.actor, type: f.type }, "machine threw; message answered with internal and not applied");
    for (const c of plan.counts) runtimeMetrics.messages.labels(c.kind, c.outcome).inc();
    for (const s of plan.staged) observer?.staged?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, s);
    for (const [ak, c] of plan.changes) this.staged.set(ak, c.stored);
    const msgs = parsed.map((p) => p.msg);
    if (this.open && this.open.id === id) {
      mergePlan(this.open.plan, plan);
      this.open.msgs.push(...msgs);
      this.open.lastSeq = msgs[msgs.length - 1].seq;
      for (const a of actors) this.open.actors.add(a);
    } else {
      let batch = id;
      if (!starting) {
        batch = ++this.batches;
        observer?.batchStarted?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, actors, batch);
      }
      this.open = { id: batch, msgs, lastSeq: msgs[msgs.length - 1].seq, plan, actors: new Set(actors), persistSeq: false, startedAt: performance.now() };
    }
    for (const [k, e] of plan.inbox) this.stagedKeys.set(k, { result: { reply: e.reply, final: e.final, seq: e.seq }, batch: this.open.id });
    if (!this.sealed) this.submit();
  }
  /**
   * The open batch goes to the committer. One that writes nothing (every message answered without
   * a change) is answered at once, from memory, while the lease is surely ours: no other holder
   * can have committed anything since our last commit. Its sequence is recorded with the next
   * commit, or by a commit of its own a second later.
   */
  submit() {
    const b = this.open;
    if (!b) return;
    if (isDurable(b.plan) || b.persistSeq) {
      this.committer.ready(this);
      return;
    }
    this.open = void 0;
    if (!this.deps.leaseValid()) {
      this.fail(new FencedError("lease expired before answering"), b);
      return;
    }
    this.deps.observer?.committed?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, [], b.id);
    this.finish(b, []);
    this.unrecordedSeq = b.lastSeq;
    this.seqFlush ??= this.deps.clock.setTimer(SEQ_FLUSH_MS, () => {
      this.seqFlush = void 0;
      if (this.stopping || this.unrecordedSeq <= this.appliedSeq) return;
      if (this.open) this.open.persistSeq = true;
      else this.flushWanted = true;
      this.signal();
    });
  }
  /** CommitSource: messages staged for the next commit. */
  pending() {
    return this.open?.msgs.length ?? 0;
  }
  /** CommitSource: the open batch goes into a commit starting now. */
  seal() {
    const b = this.open;
    if (!b || this.sealed || this.lost) return null;
    this.open = void 0;
    if (!this.deps.leaseValid()) {
      this.fail(new FencedError("lease expired before commit"), b);
      return null;
    }
    this.sealed = b;
    const saves = [...b.plan.changes.values()].map((c) => {
      const keys = this.deps.kinds.get(c.kind)?.apart;
      return {
        kind: c.kind,
        id: c.id,
        baseVersion: c.base,
        version: c.stored.version,
        machineVersion: c.stored.machineVersion,
        state: c.stored.state,
        deadline: c.stored.deadline,
        ...keys?.length ? { apart: { keys, changed: c.base === 0 || apartChanged(keys, c.baseState, c.stored.state) } } : {}
      };
    });
    return {
      partition: this.cfg.partition,
      epoch: this.cfg.epoch,
      appliedSeq: b.lastSeq,
      messages: b.msgs.length,
      plan: { saves, inbox: [...b.plan.inbox.values()], outbox: b.plan.sends, writes: b.plan.writes, audit: { applied: b.plan.applied, refused: b.plan.refused, batch: b.id } }
    };
  }
  /** CommitSource: the sealed batch committed or failed. */
  settle(result) {
    const b = this.sealed;
    this.sealed = void 0;
    if (!b || this.lost) return;
    if ("error" in result) {
      this.fail(result.error, b);
      return;
    }
    this.attempts = 0;
    this.delay = 50;
    if (this.oneByOne > 0) this.oneByOne = Math.max(0, this.oneByOne - b.msgs.length);
    this.verify = false;
    this.deps.observer?.committed?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, b.plan.applied, b.id);
    this.appliedSeq = Math.max(this.appliedSeq, b.lastSeq);
    const now = this.deps.clock.now();
    for (const [ak, c] of b.plan.changes) {
      const before = this.cache.get(ak)?.stored.deadline ?? null;
      this.cache.set(ak, { kind: c.kind, id: c.id, stored: c.stored, lastUsed: now });
      if (this.staged.get(ak) === c.stored) this.staged.delete(ak);
      if (c.stored.deadline !== before || c.stored.deadline !== null && !this.timers.has(ak)) this.arm(c.kind, c.id, c.stored.deadline);
    }
    for (const k of b.plan.inbox.keys()) if (this.stagedKeys.get(k)?.batch === b.id) this.stagedKeys.delete(k);
    this.finish(b, result.sent);
    runtimeMetrics.batchSeconds.observe((performance.now() - b.startedAt) / 1e3);
    this.blocked = false;
    this.submit();
    this.signal();
  }
  /** After the batch is applied: publish replies and events, hand sends to the outbox publisher, ack. */
  finish(b, sent) {
    for (const msg of b.msgs) this.poisoned.delete(msg.key);
    for (const o of b.plan.outcomes) {
      for (const pub of o.publishes) this.deps.bus.publish(pub.subject, encodeJson(pub.body));
      if (o.reply && o.msg.replyTo) this.deps.bus.publish(o.msg.replyTo, encodeJson(o.reply));
    }
    if (sent.length) {
      this.outboxQueue.push(...sent);
      this.kickOutbox();
    }
    for (const msg of b.msgs) msg.ack();
    runtimeMetrics.batchSize.observe(b.msgs.length);
    for (const o of b.plan.outcomes) {
      if (o.msg.key.startsWith("timer:")) {
        const a = parseActorSubject(o.msg.subject);
        const stored = a && (this.staged.get(actorKey(a.kind, a.id)) ?? this.cache.get(actorKey(a.kind, a.id))?.stored);
        if (a && stored?.deadline != null && !this.timers.has(actorKey(a.kind, a.id))) this.arm(a.kind, a.id, stored.deadline);
      }
    }
  }
  /**
   * A commit failed (or the lease ran out before it): everything staged from `b` on is discarded
   * and its messages go back to the head of the backlog, to be planned again from what is committed.
   */
  fail(error, b) {
    const later = this.open;
    this.open = void 0;
    this.committer.withdraw(this);
    const err = error;
    for (const x of [b, later]) if (x) this.deps.observer?.batchFailed?.(this.cfg.hostId, this.cfg.partition, this.cfg.epoch, [...x.actors], err, x.id);
    this.backlog = [...b.msgs, ...later?.msgs ?? [], ...this.backlog];
    this.staged.clear();
    this.stagedKeys.clear();
    this.generation++;
    this.blocked = false;
    this.failure = { error, msgs: b.msgs.length };
    this.signal();
  }
  /** Publishes queued outbox entries in order, then deletes them; retried until they go out. */
  kickOutbox() {
    if (this.outboxBusy || this.outboxQueue.length === 0) return;
    this.outboxBusy = (async () => {
      let delay = 100;
      while (this.outboxQueue.length && !this.lost) {
        const batch = this.outboxQueue.slice(0, 256);
        try {
          for (const e of batch) await this.deps.mailboxes.publish(e.subject, encodeJson(e.body), { key: e.key, from: e.origin });
          await this.deps.store.deleteOutbox(batch.map((e) => e.id));
          this.outboxQueue.splice(0, batch.length);
          delay = 100;
        } catch (e) {
          this.log.warn({ err: e.message }, "outbox publish failed; retrying");
          await this.deps.clock.sleep(delay);
          delay = Math.min(delay * 2, 5e3);
        }
      }
    })().finally(() => {
      this.outboxBusy = void 0;
      if (this.outboxQueue.length && !this.lost) this.kickOutbox();
    });
  }
  /** Arms the actor's timer for its earliest deadline; when due, a $timers message goes to its mailbox. */
  arm(kind, id, deadline) {
    const ak = actorKey(kind, id);
    const prev = this.timers.get(ak);
    if (prev && prev.at === deadline) return;
    prev?.timer.cancel();
    this.timers.delete(ak);
    if (deadline === null || this.stopping) return;
    const delay = Math.max(0, deadline - this.deps.clock.now());
    const timer = this.deps.clock.setTimer(delay, () => {
      this.timers.delete(ak);
      if (this.stopping) return;
      const subject = subjects.actor(kind, this.cfg.partition, id);
      this.deps.mailboxes.publish(subject, encodeJson({ type: TIMERS }), { key: `timer:${ak}:${deadline}` }).catch((e) => {
        this.log.warn({ err: e.message, actor: ak }, "could not publish a timer; retrying soon");
        if (!this.stopping && !this.timers.has(ak)) this.arm(kind, id, deadline + 1e3);
      });
    });
    this.timers.set(ak, { at: deadline, timer });
  }
  /** Passivation: actors idle longer than the limit leave memory (their snapshot is already stored). */
  scheduleSweep() {
    const every = Math.max(1e3, Math.floor(this.cfg.passivateAfterMs / 2));
    this.sweeper = this.deps.clock.setTimer(every, () => {
      const cutoff = this.deps.clock.now() - this.cfg.passivateAfterMs;
      for (const [k, a] of this.cache) if (a.lastUsed < cutoff && !this.staged.has(k)) this.cache.delete(k);
      if (!this.stopping) this.scheduleSweep();
    });
  }
  /**
   * Answers a query (ActorKind.queries) from the committed state in memory (read from the store
   * when the actor is not in memory), never from what a batch in hand staged. A holder not sure of
   * its lease stays silent: the asker then goes through the mailbox.
   */
  async answer(req) {
    if (this.stopping || !this.deps.leaseValid()) return;
    const respond = (r) => req.respond(encodeJson(r));
    const addr = parseActorSubject(req.subject, "actq");
    const kind = addr && this.deps.kinds.get(addr.kind);
    if (!addr || !kind || addr.partition !== this.cfg.partition) return respond(errorReply("not_found", `no actor kind for ${req.subject}`));
    let body;
    try {
      body = decodeJson(req.data);
      validate(kind.messages, body, "bad_request", `${addr.kind} query`);
      if (!kind.queries?.includes(body.type)) throw new TroupeError("bad_request", `${addr.kind} "${body.type}" is not a query; send it as a message`);
    } catch (e) {
      const err = toWireError(e);
      runtimeMetrics.queries.labels(addr.kind, err.code).inc();
      return respond(errorReply(err.code, err.message));
    }
    const ak = actorKey(addr.kind, addr.id);
    let stored = this.cache.get(ak)?.stored;
    if (!stored) {
      try {
        stored = await this.deps.store.load(addr.kind, addr.id) ?? void 0;
      } catch (e) {
        this.log.warn({ err: e.message, actor: ak }, "could not read an actor for a query");
        return;
      }
      if (this.lost || this.stopping || !this.deps.leaseValid()) return;
      if (stored && !this.cache.has(ak)) this.cache.set(ak, { kind: addr.kind, id: addr.id, stored, lastUsed: this.deps.clock.now() });
    }
    const reply = answerQuery(kind, addr.id, stored, { ...body, meta: { at: this.deps.clock.now(), key: "query", asked: true } });
    runtimeMetrics.queries.labels(addr.kind, reply.ok ? "ok" : reply.error.code).inc();
    respond(reply);
  }
  /** For operators and queries: an actor's committed state as this holder sees it (memory first). */
  peek(kind, id) {
    return this.cache.get(actorKey(kind, id))?.stored;
  }
};

// actors/runtime/host.ts
var leaseKey = (p) => `p.${p}`;
var ActorHost = class {
  constructor(cfg, deps) {
    this.cfg = cfg;
    this.deps = deps;
    this.kinds = new Map(deps.kinds.map((k) => [k.kind, k]));
    this.committer = new Committer(deps.store, deps.clock, { concurrency: cfg.commitConcurrency ?? 1, lingerMs: cfg.commitLingerMs ?? 0 });
    this.log = logger("actor-host", { host: cfg.hostId });
  }
  cfg;
  deps;
  held = /* @__PURE__ */ new Map();
  kinds;
  log;
  quiet = new RepeatGate();
  ticker;
  running = false;
  ticking;
  lastRenew = /* @__PURE__ */ new Map();
  /** Partitions with a claim or hand-over under way (they run beside the ticks, never blocking renewals). */
  busy = /* @__PURE__ */ new Map();
  /** One committer for every partition held here: their batches share transactions. */
  committer;
  get id() {
    return this.cfg.hostId;
  }
  /** Partitions held and their epochs. */
  holdings() {
    return [...this.held.entries()].map(([partition, h]) => ({ partition, epoch: h.epoch, state: h.state, active: h.worker?.activeCount ?? 0 })).sort((a, b) => a.partition - b.partition);
  }
  async start() {
    this.running = true;
    await this.deps.directory.announce(this.describe());
    this.scheduleTick(0);
  }
  describe() {
    return { load: this.held.size, partitions: this.held.size };
  }
  scheduleTick(delay) {
    if (!this.running) return;
    this.ticker = this.deps.clock.setTimer(delay, () => {
      this.ticking = this.tick().catch((e) => this.log.error({ err: e }, "placement tick failed")).finally(() => {
        this.ticking = void 0;
        this.scheduleTick(this.cfg.tickMs);
      });
    });
  }
  /** One placement round: renew, hand over what belongs elsewhere, claim what is ours and free. */
  async tick() {
    if (!this.running) return;
    const { directory, clock } = this.deps;
    await directory.announce(this.describe()).catch((e) => this.log.warn({ err: e.message }, "announce failed"));
    const hosts = directory.liveHosts();
    if (!hosts.includes(this.cfg.hostId)) hosts.push(this.cfg.hostId);
    const renewEvery = this.cfg.leaseTtlMs / 3;
    const now = clock.now();
    const renewals = [];
    for (let p = 0; p < this.cfg.partitions; p++) {
      const h = this.held.get(p);
      const mine = ownerOf(p, hosts) === this.cfg.hostId;
      if (h) {
        if (h.state === "handing-over") continue;
        if (now - (this.lastRenew.get(p) ?? 0) >= renewEvery) renewals.push(this.renew(p, h));
        if (!mine && h.state === "running") this.background(p, () => this.handOver(p, h, "handover"));
      } else if (mine) {
        this.background(p, () => this.claim(p));
      }
    }
    await Promise.all(renewals);
    runtimeMetrics.partitions.set(this.held.size);
    runtimeMetrics.activeActors.set([...this.held.values()].reduce((n, h) => n + (h.worker?.activeCount ?? 0), 0));
  }
  background(p, work) {
    if (this.busy.has(p)) return;
    const run = work().catch((e) => this.log.error({ err: e, p }, "partition work failed")).finally(() => this.busy.delete(p));
    this.busy.set(p, run);
  }
  leaseValue() {
    return JSON.stringify({ host: this.cfg.hostId, at: this.deps.clock.now() });
  }
  async claim(p) {
    const { leases, clock } = this.deps;
    let revision;
    try {
      revision = await leases.create(leaseKey(p), this.leaseValue());
    } catch (e) {
      this.quiet.fail(`claim.${p}`, (heldBack) => this.log.warn({ err: e.message, p, heldBack }, "lease claim failed"));
      return;
    }
    this.quiet.ok(`claim.${p}`);
    if (revision === null || !this.running) {
      if (revision !== null) await leases.release(leaseKey(p), revision).catch(() => {
      });
      return;
    }
    const claimedAt = clock.now();
    const h = { epoch: revision, revision, validUntil: claimedAt + this.cfg.leaseTtlMs * 0.8, state: "starting" };
    this.held.set(p, h);
    this.lastRenew.set(p, claimedAt);
    this.deps.observer?.claimed?.(this.cfg.hostId, p, revision);
    const worker = new PartitionWorker(
      { hostId: this.cfg.hostId, partition: p, epoch: revision, partitions: this.cfg.partitions, maxBatch: this.cfg.maxBatch, passivateAfterMs: this.cfg.passivateAfterMs },
      {
        kinds: this.kinds,
        store: this.deps.store,
        mailboxes: this.deps.mailboxes,
        bus: this.deps.bus,
        clock,
        observer: this.deps.observer,
        committer: this.committer,
        leaseValid: () => this.held.get(p) === h && clock.now() < h.validUntil,
        onLost: (reason) => this.lost(p, h, reason)
      }
    );
    h.worker = worker;
    try {
      await worker.start();
      if (this.held.get(p) === h) h.state = "running";
      this.log.debug({ p, epoch: revision }, "partition claimed");
    } catch (e) {
      if (e instanceof FencedError) this.log.warn({ p, epoch: revision, err: e.message }, "claimed a lease but the partition is fenced by a newer epoch");
      else this.log.warn({ p, err: e.message }, "could not start the partition; releasing it");
      worker.abort();
      if (this.held.get(p) === h) this.held.delete(p);
      await leases.release(leaseKey(p), h.revision).catch(() => {
      });
    }
  }
  async renew(p, h) {
    const { leases, clock } = this.deps;
    const started = clock.now();
    let revision;
    try {
      revision = await leases.update(leaseKey(p), this.leaseValue(), h.revision);
    } catch (e) {
      this.quiet.fail(`renew.${p}`, (heldBack) => this.log.warn({ p, err: e.message, heldBack }, "lease renewal failed; will retry"));
      if (clock.now() >= h.validUntil) this.lost(p, h, "could not renew in time");
      return;
    }
    if (this.held.get(p) !== h) return;
    if (revision === null) {
      this.lost(p, h, "lease taken over or expired");
      return;
    }
    this.quiet.ok(`renew.${p}`);
    h.revision = revision;
    h.validUntil = started + this.cfg.leaseTtlMs * 0.8;
    this.lastRenew.set(p, started);
  }
  lost(p, h, reason) {
    if (this.held.get(p) !== h) return;
    this.held.delete(p);
    h.worker?.abort();
    this.log.warn({ p, epoch: h.epoch, reason }, "partition lost");
    this.deps.observer?.released?.(this.cfg.hostId, p, h.epoch, "lost");
  }
  /** Graceful: stop fetching, finish in-flight work, then delete the lease so the new owner claims at once. */
  async handOver(p, h, why) {
    h.state = "handing-over";
    await h.worker?.stop();
    if (this.held.get(p) !== h) return;
    this.held.delete(p);
    await this.deps.leases.release(leaseKey(p), h.revision).catch(() => {
    });
    this.log.debug({ p, epoch: h.epoch, why }, "partition handed over");
    this.deps.observer?.released?.(this.cfg.hostId, p, h.epoch, why);
  }
  /** Graceful stop: leave the directory first (so nobody places partitions here), then hand everything over. */
  async stop() {
    this.running = false;
    this.ticker?.cancel();
    await this.ticking;
    await Promise.all(this.busy.values());
    await this.deps.directory.withdraw().catch(() => {
    });
    await Promise.all([...this.held.entries()].map(([p, h]) => this.handOver(p, h, "stop")));
    runtimeMetrics.partitions.set(0);
  }
  /** Simulation: the process dies. Nothing is released; leases expire on their own. */
  crash() {
    this.running = false;
    this.ticker?.cancel();
    for (const h of this.held.values()) h.worker?.abort();
    this.held.clear();
  }
  /** An actor's state if this host holds it in memory. */
  peek(p, kind, id) {
    return this.held.get(p)?.worker?.peek(kind, id);
  }
};

// actors/runtime/kind.ts
var effects = {
  reply: (body = {}) => ({ type: "reply", body }),
  fail: (code, message) => ({ type: "fail", code, message }),
  publish: (subject, body) => ({ type: "publish", subject, body }),
  send: (kind, id, body, key) => ({ type: "send", kind, id, body, key }),
  write: (op, data) => ({ type: "write", op, data })
};
function defineKind(k) {
  return k;
}

// actors/runtime/client.ts
var QUERY_WAIT_MS = 2e3;
var storedReply = (r) => r.reply ?? { ok: true };
var ActorClient = class {
  constructor(deps) {
    this.deps = deps;
    deps.replies.listen((token, data) => {
      const w = this.waiting.get(token);
      if (w) {
        this.waiting.delete(token);
        w.settle(decodeJson(data));
      }
    });
  }
  deps;
  nextToken = 1;
  /** Pending asks by token; `seq` is the stream sequence of the ask's own message once known. */
  waiting = /* @__PURE__ */ new Map();
  get partitions() {
    return this.deps.partitions;
  }
  subjectOf(kind, id) {
    return subjects.actor(kind, partitionOf(kind, id, this.deps.partitions), id);
  }
  /**
   * Asks a query (a message type the kind declares in `queries`): answered by the partition's
   * lease holder from the committed state in its memory, without the mailbox or a transaction. It
   * sees every message whose commit completed before it arrived (every ask answered before it was
   * sent), none still queued. When no holder answers in time (the partition is moving, nobody
   * holds it yet), it is asked through the mailbox like any message.
   */
  async query(kind, id, body, opts = {}) {
    const timeoutMs = opts.timeoutMs ?? 1e4;
    if (this.deps.queries) {
      const started = this.deps.clock.now();
      const subject = subjects.actorQuery(kind, partitionOf(kind, id, this.deps.partitions), id);
      const data = await this.deps.queries.request(subject, encodeJson(body), Math.min(timeoutMs, QUERY_WAIT_MS));
      if (data) return unwrapReply(decodeJson(data));
      return this.ask(kind, id, body, { ...opts, timeoutMs: Math.max(1, timeoutMs - (this.deps.clock.now() - started)) });
    }
    return this.ask(kind, id, body, opts);
  }
  /** Durable send; the same key within the duplicate window (and after, through the inbox) applies once. */
  async send(kind, id, body, opts = {}) {
    return this.deps.mailboxes.publish(this.subjectOf(kind, id), encodeJson(body), { key: opts.key ?? this.deps.newKey(), from: this.deps.from });
  }
  /**
   * Sends and waits for the actor's reply. A timeout is TroupeError('timeout'); retrying with the
   * same key is safe. Within the timeout it rides out a cluster hiccup on its own: a publish that
   * fails (stream leader election, a reconnect) is retried under the same key, which JetStream
   * dedupes, and a reply lost while our connection was away is read back from the stored results.
   * A key that was refused before is judged afresh: a refusal is never the key's final answer.
   */
  async ask(kind, id, body, opts = {}) {
    const timeoutMs = opts.timeoutMs ?? 1e4;
    const key = opts.key ?? this.deps.newKey();
    const deadline = this.deps.clock.now() + timeoutMs;
    let result = await this.attempt(kind, id, body, key, key, deadline);
    if (result === "refused") {
      result = await this.attempt(kind, id, body, key, `${key}#${this.deps.newKey()}`, deadline);
    }
    if (result === "timeout" || result === "refused") throw new TroupeError("timeout", `${kind} ${id} did not answer in ${timeoutMs} ms (retrying with the same key is safe)`);
    return unwrapReply(result);
  }
  /** One publish under `msgId` (JetStream's dedupe id) and the wait for its answer. */
  async attempt(kind, id, body, key, msgId, deadline) {
    const { clock } = this.deps;
    const token = String(this.nextToken++);
    let answer;
    const answered = new Promise((resolve) => answer = resolve);
    const waiting = { key, settle: answer };
    this.waiting.set(token, waiting);
    const timer = clock.setTimer(Math.max(0, deadline - clock.now()), () => answer("timeout"));
    try {
      const { seq, duplicate } = await this.publishUntil(deadline, kind, id, body, key, msgId, token);
      waiting.seq = seq;
      if (!duplicate) return await answered;
      return await Promise.race([answered, this.awaitStored(key, deadline, token, msgId === key ? void 0 : seq)]);
    } finally {
      this.waiting.delete(token);
      timer.cancel();
    }
  }
  /**
   * Our connection came back: replies published while it was away are lost, so every pending ask
   * looks for its stored result (one whose message is not applied yet gets its reply as usual).
   */
  reconnected() {
    for (const w of this.waiting.values()) {
      this.deps.results.result(w.key).then((r) => {
        if (r && (r.final || w.seq !== void 0 && r.seq >= w.seq)) w.settle(storedReply(r));
      }, () => {
      });
    }
  }
  async publishUntil(deadline, kind, id, body, key, msgId, token) {
    let delay = 50;
    for (; ; ) {
      try {
        return await this.deps.mailboxes.publish(this.subjectOf(kind, id), encodeJson(body), { key, msgId, replyTo: this.deps.replies.subject(token), from: this.deps.from });
      } catch (e) {
        if (e instanceof TroupeError) throw e;
        if (e instanceof PublishRefused || this.deps.clock.now() + delay >= deadline) throw new TroupeError("unavailable", `could not reach ${kind} ${id}: ${e.message} (retrying with the same key is safe)`);
        await this.deps.clock.sleep(delay);
        delay = Math.min(delay * 2, 1e3);
      }
    }
  }
  /**
   * Polls the stored result until it is there, the deadline passes, or the ask is answered
   * otherwise. A refusal (not final) answers when it judged message `ownSeq` or a later one; with
   * no `ownSeq` it comes back as 'refused'.
   */
  async awaitStored(key, deadline, token, ownSeq) {
    let delay = 20;
    while (this.deps.clock.now() < deadline && this.waiting.has(token)) {
      const r = await this.deps.results.result(key).catch(() => void 0);
      if (r?.final || r && ownSeq !== void 0 && r.seq >= ownSeq) return storedReply(r);
      if (r && ownSeq === void 0) return "refused";
      await this.deps.clock.sleep(delay);
      delay = Math.min(delay * 2, 500);
    }
    return "timeout";
  }
  close() {
    this.deps.replies.close();
  }
};

export {
  effects,
  defineKind,
  createActor,
  assign,
  emit,
  enqueueActions,
  setup,
  waitFor,
  partitionOf,
  FencedError,
  PublishRefused,
  VersionConflict,
  ActorClient,
  PartitionWorker,
  leaseKey,
  ActorHost
};
