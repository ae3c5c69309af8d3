import "server-only";
/**
 * Distinct values of an indexed column, by a loose index scan: one index probe per distinct value instead of a scan
 * of the table. Why not Prisma's `findMany({ distinct })`: Prisma de-duplicates in memory, so it reads every row —
 * 100,000 bucket regions or 1,000,000 finding types for a handful of values (seconds, and the whole column in RAM).
 * A query helper, not a DAL function: the DAL functions that call it have authorized first.
 */
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/server/db";

/** The (table, column) pairs this may be used for: each column leads an index. */
interface Indexed {
  bucket: "region";
  macie_finding: "type";
  audit_event: "action";
}

export async function distinctIndexedValues<T extends keyof Indexed>(
  table: T,
  column: Indexed[T],
  where: Prisma.Sql = Prisma.sql`TRUE`,
): Promise<string[]> {
  const t = Prisma.raw(table);
  const c = Prisma.raw(column);
  const rows = await db().$queryRaw<{ v: string }[]>`
    WITH RECURSIVE vals AS (
      (SELECT ${c} AS v FROM ${t} x WHERE ${c} IS NOT NULL AND ${where} ORDER BY ${c} LIMIT 1)
      UNION ALL
      SELECT (SELECT ${c} FROM ${t} x WHERE ${c} > vals.v AND ${where} ORDER BY ${c} LIMIT 1) FROM vals WHERE vals.v IS NOT NULL
    )
    SELECT v FROM vals WHERE v IS NOT NULL`;
  return rows.map((r) => r.v);
}
