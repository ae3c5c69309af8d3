/**
 * 90 days of daily coverage aggregates for the demo, so the trend chart is real on first start. Generated
 * backwards from today's actual aggregate (computed in SQL from the loaded buckets), with a plausible, seeded
 * improvement over time. Only the demo writes invented history; real deployments accumulate it day by day.
 */
import type { Db } from "@/lib/db/prisma";
import { snapshotCoverage } from "@/lib/sync/coverage-snapshot";

export async function generateDemoHistory(client: Db, options: { days: number }): Promise<void> {
  const today = await snapshotCoverage(client, new Date());
  const rows = [];
  for (let d = 1; d < options.days; d++) {
    const day = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - d));
    // Coverage was lower in the past: ~35% fewer classified and ~45% fewer compliant buckets 90 days ago.
    const progress = d / options.days;
    const wobble = 0.03 * Math.sin(d * 1.7);
    for (const r of today) {
      // Never more classified buckets than buckets (the wobble could otherwise push a share above 100%).
      const classified = Math.min(r.buckets, Math.max(0, Math.round(r.classified * (1 - 0.35 * progress + wobble))));
      const compliant = Math.max(0, Math.min(classified, Math.round(r.compliant * (1 - 0.45 * progress + wobble))));
      rows.push({ ...r, day, classified, compliant, failing: Math.max(0, r.buckets - compliant - r.waived) });
    }
  }
  for (let i = 0; i < rows.length; i += 1000) {
    await client.coverageDaily.createMany({ data: rows.slice(i, i + 1000), skipDuplicates: true });
  }
}
