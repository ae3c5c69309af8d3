/**
 * Is this error "the database cannot be reached" (stopped, restarting, network, refused credentials) rather than a
 * bug or a bad query? The health check answers 503 with the reason, and the app shows "database unreachable —
 * retrying" instead of a generic error. Recognises Prisma's driver-adapter errors, node-postgres and socket errors,
 * and Postgres's connection-class SQLSTATEs (08…, 57P01–57P03), following `cause` chains. The reason is short and
 * names no host, port or user: it is shown to anyone.
 */

const SOCKET_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was closed",
  EPIPE: "the connection was closed",
  ETIMEDOUT: "the connection timed out",
  ENOTFOUND: "the database host name does not resolve",
  EAI_AGAIN: "the database host name does not resolve",
  EHOSTUNREACH: "the database host is not reachable",
  ENETUNREACH: "the database host is not reachable",
};

const ADAPTER_KINDS: Record<string, string> = {
  DatabaseNotReachable: "the database server is not reachable",
  DatabaseDoesNotExist: "the database does not exist",
  ConnectionClosed: "the connection was closed",
  AuthenticationFailed: "authentication with the database failed",
  DatabaseAccessDenied: "access to the database was denied",
  SocketTimeout: "the connection timed out",
  TooManyConnections: "the database has too many connections",
};

function sqlstateReason(code: string): string | null {
  if (code === "57P01" || code === "57P02") return "the database is shutting down or restarting";
  if (code === "57P03") return "the database is starting up";
  if (code === "53300") return "the database has too many connections";
  if (code === "28P01" || code === "28000") return "authentication with the database failed";
  if (code === "3D000") return "the database does not exist";
  if (/^08[0-9A-Z]{3}$/.test(code)) return "the connection to the database failed";
  return null;
}

const PRISMA_CODES: Record<string, string> = {
  P1001: "the database server is not reachable",
  P1002: "the database server timed out",
  P1003: "the database does not exist",
  P1017: "the database server closed the connection",
  P2024: "timed out waiting for a database connection",
};

function reasonOf(error: Record<string, unknown>): string | null {
  const code = typeof error.code === "string" ? error.code : undefined;
  const adapter = (
    error.meta as { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } } | undefined
  )?.driverAdapterError?.cause;
  if (adapter?.kind && ADAPTER_KINDS[adapter.kind]) return ADAPTER_KINDS[adapter.kind]!;
  if (adapter?.originalCode) {
    const fromState = sqlstateReason(adapter.originalCode);
    if (fromState) return fromState;
  }
  if (code && SOCKET_REASONS[code]) return SOCKET_REASONS[code]!;
  if (code && PRISMA_CODES[code]) return PRISMA_CODES[code]!;
  if (code) {
    const fromState = sqlstateReason(code);
    if (fromState) return fromState;
  }
  const message = typeof error.message === "string" ? error.message : "";
  if (/Can't reach database server/i.test(message)) return "the database server is not reachable";
  if (/Connection terminated|server closed the connection|Connection ended unexpectedly/i.test(message))
    return "the connection was closed";
  if (/timeout exceeded when trying to connect|connection timeout/i.test(message)) return "the connection timed out";
  if (/ECONNREFUSED/.test(message)) return "connection refused";
  return null;
}

export function databaseUnreachableReason(error: unknown): string | null {
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const reason = reasonOf(e as Record<string, unknown>);
    if (reason) return reason;
  }
  return null;
}
