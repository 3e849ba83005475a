// A promise and the function that settles it, for tests that hold one side of a race at a chosen
// point (a transaction open, a lock taken) and let it go when the other side has got where it must.
export interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

export function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
