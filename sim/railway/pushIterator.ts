// Async iterators fed by callbacks, whose return() unsubscribes at once (an async generator would wait for the next value): one value per push, or lists that gather what was pushed since the last one.

export function pushIterator<T>(
  subscribe: (push: (value: T) => void) => () => void,
): AsyncIterableIterator<T> {
  const queue: T[] = [];
  const waiting: ((result: IteratorResult<T>) => void)[] = [];
  let done = false;
  const push = (value: T) => {
    if (done) return;
    const resolve = waiting.shift();
    if (resolve) resolve({ value, done: false });
    else queue.push(value);
  };
  const unsubscribe = subscribe(push);
  const finish = (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      unsubscribe();
      for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next: () => {
      const value = queue.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return: finish,
    throw: (error: unknown) =>
      finish().then(() =>
        Promise.reject(error instanceof Error ? error : new Error(String(error))),
      ),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Most lines in one event; a backed-up subscriber gets several. */
const maxList = 5000;
/** Lines a subscriber that stopped reading may owe before the oldest are forgotten. */
const maxOwed = 200_000;

/**
 * An async iterator of lists: `first` as the first value (even when empty), then each `next()`
 * takes everything pushed since, up to `maxList`; values pushed in one tick travel together.
 * return() unsubscribes at once.
 */
export function listIterator<T, V>(
  first: T[],
  subscribe: (push: (values: T[]) => void) => () => void,
  view: (values: T[]) => V,
): AsyncIterableIterator<V> {
  let owed: T[] = [];
  let waiting: ((result: IteratorResult<V>) => void) | undefined;
  let scheduled = false;
  let done = false;
  let sentFirst = false;
  const take = (): V => {
    const list = owed.length <= maxList ? owed : owed.slice(0, maxList);
    owed = owed.length <= maxList ? [] : owed.slice(maxList);
    return view(list);
  };
  const wake = () => {
    scheduled = false;
    const resolve = waiting;
    if (!resolve || done || !owed.length) return;
    waiting = undefined;
    resolve({ value: take(), done: false });
  };
  const unsubscribe = subscribe((values) => {
    if (done) return;
    for (const v of values) owed.push(v);
    if (owed.length > maxOwed) owed.splice(0, owed.length - maxOwed);
    if (waiting && !scheduled) {
      scheduled = true;
      setImmediate(wake);
    }
  });
  const finish = (): Promise<IteratorResult<V>> => {
    if (!done) {
      done = true;
      unsubscribe();
      owed = [];
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
    }
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next: () => {
      if (!sentFirst) {
        sentFirst = true;
        return Promise.resolve({ value: view(first), done: false });
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      if (owed.length && !scheduled) return Promise.resolve({ value: take(), done: false });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: finish,
    throw: (error: unknown) =>
      finish().then(() =>
        Promise.reject(error instanceof Error ? error : new Error(String(error))),
      ),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
