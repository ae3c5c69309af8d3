"use client";
/**
 * The latest background re-evaluation, as one client-side state: the banner on every page and the scheme form's
 * message read the same query, so they can never disagree (the form used to say "re-evaluating" long after the
 * work had ended). Polled every second while it runs, not at all otherwise.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

export interface ReevaluationState {
  id: string;
  state: "running" | "succeeded" | "failed" | "interrupted";
  reason: string;
  total: number;
  done: number;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export const REEVALUATION_QUERY_KEY = ["reevaluation"] as const;

async function fetchStatus(): Promise<ReevaluationState | null> {
  const res = await fetch("/api/reevaluation", { cache: "no-store" });
  if (!res.ok) throw new Error(`the re-evaluation status answered HTTP ${res.status}`);
  return ((await res.json()) as { status: ReevaluationState | null }).status;
}

/**
 * The status, seeded with what the server rendered (`initial`): a newer run seen by the server replaces an older
 * one held in the client's cache.
 */
export function useReevaluationStatus(initial?: ReevaluationState | null) {
  const client = useQueryClient();
  useEffect(() => {
    if (!initial) return;
    const held = client.getQueryData<ReevaluationState | null>(REEVALUATION_QUERY_KEY);
    if (!held || (held.id !== initial.id && initial.startedAt >= held.startedAt)) {
      client.setQueryData(REEVALUATION_QUERY_KEY, initial);
    }
  }, [client, initial]);
  return useQuery({
    queryKey: REEVALUATION_QUERY_KEY,
    queryFn: fetchStatus,
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.state === "running" ? 1000 : false),
  });
}

/** "37 of 120 buckets (30 %)": the job's own counts, so it moves only when batches of verdicts are committed. */
export function progressText(status: Pick<ReevaluationState, "done" | "total">): string {
  const pct = status.total > 0 ? Math.floor((status.done / status.total) * 100) : 0;
  return `${status.done.toLocaleString("en")} of ${status.total.toLocaleString("en")} buckets (${pct} %)`;
}
