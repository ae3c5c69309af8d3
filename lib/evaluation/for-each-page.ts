/**
 * Runs `work` on each page an async generator yields, with up to `inFlight` pages at once: while one page's
 * verdicts are computed in JavaScript, another's rows are read or written in Postgres. After a failure no further
 * page is started; the first error is re-thrown once the pages in flight have settled.
 */
export async function forEachPage<T>(
  pages: AsyncGenerator<T>,
  inFlight: number,
  work: (page: T) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (failure === null) {
      // Concurrent next() calls are queued by the generator: each page goes to exactly one worker.
      const next = await pages.next().catch((error: unknown) => ({ done: true as const, error }));
      if ("error" in next) failure ??= { error: next.error };
      if (next.done) return;
      try {
        await work(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, inFlight) }, worker));
  if (failure !== null) {
    await pages.return(undefined);
    throw (failure as { error: unknown }).error;
  }
}
