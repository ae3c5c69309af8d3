/**
 * The maintained counters' housekeeping (migration bucket_tally; reads in lib/server/sql/tally.ts). Every write to
 * bucket or control_result appends its change to a delta table, so a count is exact at any moment; folding moves the
 * deltas into the counters so that a count sums few rows. Folding is idempotent and safe to call from anywhere at any
 * time (a fold already running makes this one a no-op, and it picks the deltas up), so callers never need to wait.
 * The findings' counts with every account together (macie_finding_region_count) are folded the same way.
 * A repair, should the counters ever be doubted: `SELECT bucket_tally_rebuild(), control_tally_rebuild(),
 * macie_finding_region_count_rebuild()` recounts them from scratch (holding back writes to the tables they count).
 */
import type { Db } from "@/lib/db/prisma";

export async function foldTallies(client: Db): Promise<void> {
  await client.$queryRaw`SELECT bucket_tally_fold(), control_tally_fold(), macie_finding_region_count_fold()`;
}
