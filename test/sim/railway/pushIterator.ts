// An async iterator fed by callbacks, whose return() unsubscribes at once (an async generator would wait for the next value).

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
