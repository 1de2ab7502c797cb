"use client";

import { useCallback, useEffect, useRef, useState } from "react";

export const DEFAULT_CHUNK_SIZE = 25;

export type ChunkedRunStatus = "idle" | "running" | "stopped" | "failed" | "done";

export interface ChunkedRunState<R> {
  status: ChunkedRunStatus;
  /** Ids sent in this run (the progress bar's maximum). */
  total: number;
  /** Ids whose chunk has answered. */
  done: number;
  results: R[];
  /** The error of the chunk that failed (status "failed"): the server's message. */
  error: unknown;
  /** Ids not done yet: what "Resume" sends. */
  remaining: string[];
}

const IDLE = { status: "idle", total: 0, done: 0, results: [], error: null, remaining: [] } as const;

/** Splits ids into chunks of `size`: `chunk(["a","b","c"], 2)` → `[["a","b"],["c"]]`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

/**
 * Runs a per-tenant operation in chunks of ids, one request after the other, so the page can
 * show real progress (and the server never holds one long request). A failed request stops
 * the run with its error; `resume()` continues with the ids not done. `stop()` ends the run
 * after the chunk in flight.
 */
export function useChunkedRun<R>(runChunk: (ids: string[]) => Promise<R[]>, options: { chunkSize?: number; onFinish?: (results: R[]) => void } = {}) {
  const { chunkSize = DEFAULT_CHUNK_SIZE } = options;
  const [state, setState] = useState<ChunkedRunState<R>>({ ...IDLE, results: [], remaining: [] });
  const stopRequested = useRef(false);
  const running = useRef(false);
  const mounted = useRef(true);
  const runChunkRef = useRef(runChunk);
  const onFinishRef = useRef(options.onFinish);
  useEffect(() => {
    runChunkRef.current = runChunk;
    onFinishRef.current = options.onFinish;
  });
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const execute = useCallback(
    async (ids: string[], previous: { results: R[]; done: number; total: number }) => {
      if (running.current) return;
      running.current = true;
      stopRequested.current = false;
      let results = previous.results;
      let done = previous.done;
      const pending = [...ids];
      setState({ status: "running", total: previous.total, done, results, error: null, remaining: pending });
      try {
        for (const ids of chunk(pending.slice(), chunkSize)) {
          if (stopRequested.current || !mounted.current) {
            setState((current) => ({ ...current, status: "stopped" }));
            return;
          }
          let answered: R[];
          try {
            answered = await runChunkRef.current(ids);
          } catch (error) {
            if (mounted.current) setState((current) => ({ ...current, status: "failed", error }));
            return;
          }
          results = [...results, ...answered];
          done += ids.length;
          pending.splice(0, ids.length);
          const remaining = [...pending];
          if (mounted.current) setState((current) => ({ ...current, results, done, remaining }));
        }
        if (mounted.current) setState((current) => ({ ...current, status: "done", remaining: [] }));
        onFinishRef.current?.(results);
      } finally {
        running.current = false;
      }
    },
    [chunkSize],
  );

  const start = useCallback((ids: string[]) => execute(ids, { results: [], done: 0, total: ids.length }), [execute]);
  const resume = useCallback(() => execute(state.remaining, { results: state.results, done: state.done, total: state.total }), [execute, state]);
  const stop = useCallback(() => {
    stopRequested.current = true;
  }, []);
  const reset = useCallback(() => setState({ ...IDLE, results: [], remaining: [] }), []);

  return { state, start, resume, stop, reset, isRunning: state.status === "running" };
}
