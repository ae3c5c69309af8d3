/**
 * Database gone: /api/health answers 503 with a reason (for load balancers and people), not 200 or a 500.
 * The route runs against a port where no Postgres listens.
 */
import net from "node:net";
import { afterAll, expect, it, vi } from "vitest";

afterAll(() => vi.unstubAllEnvs());

it("answers 503 database-unreachable with the reason when Postgres does not answer", async () => {
  // A port that was free a moment ago: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(p));
    });
  });
  vi.stubEnv("DATABASE_URL", `postgresql://custody:secret@127.0.0.1:${port}/custody`);
  const { GET } = await import("@/app/api/health/route");
  const response = await GET(new Request("http://custody.test/api/health"));
  expect(response.status).toBe(503);
  const body = (await response.json()) as { status: string; reason: string };
  expect(body).toEqual({ status: "database-unreachable", reason: "the database server is not reachable" });
  expect(response.headers.get("cache-control")).toMatch(/no-store/);
  expect(response.headers.get("retry-after")).toBe("5");
});
