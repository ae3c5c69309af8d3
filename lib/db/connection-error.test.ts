import { describe, expect, it } from "vitest";
import { databaseUnreachableReason } from "@/lib/db/connection-error";

const prismaError = (code: string, cause: Record<string, unknown>) =>
  Object.assign(new Error("Invalid `prisma.x()` invocation"), {
    name: "PrismaClientKnownRequestError",
    code,
    meta: { driverAdapterError: { name: "DriverAdapterError", cause } },
  });

describe("databaseUnreachableReason", () => {
  it.each([
    [prismaError("P2010", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 }), /not reachable/],
    [prismaError("P1001", { kind: "DatabaseNotReachable" }), /not reachable/],
    [prismaError("P1003", { kind: "DatabaseDoesNotExist", db: "custody" }), /does not exist/],
    [prismaError("P2010", { kind: "postgres", originalCode: "57P01" }), /shutting down|restart/],
    [prismaError("P2010", { kind: "postgres", originalCode: "57P03" }), /starting up/],
    [prismaError("P2010", { kind: "ConnectionClosed" }), /closed/],
    [prismaError("P2010", { kind: "AuthenticationFailed", user: "custody" }), /authentication/i],
    [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }), /refused/],
    [Object.assign(new Error("x"), { code: "ETIMEDOUT" }), /timed out/],
    [new Error("Connection terminated unexpectedly"), /closed/],
    [new Error("timeout exceeded when trying to connect"), /timed out/],
    [
      Object.assign(new Error("wrapped"), { cause: Object.assign(new Error("inner"), { code: "ECONNREFUSED" }) }),
      /refused/,
    ],
    [
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      /shutting down|restart/,
    ],
  ])("recognises %s", (error, reason) => {
    expect(databaseUnreachableReason(error)).toMatch(reason);
  });

  it.each([
    new Error("Cannot read properties of undefined"),
    prismaError("P2002", { kind: "UniqueConstraintViolation" }),
    Object.assign(new Error("syntax error"), { code: "42601" }),
    null,
    "just a string",
  ])("is null for other errors: %s", (error) => {
    expect(databaseUnreachableReason(error)).toBeNull();
  });
});
