import "server-only";
/**
 * THE way to write a route handler (app/api/**\/route.ts). A route declares who may call it, the zod schemas of its
 * path parameters, query string and JSON body, what it does, and (optionally) its audit record and response:
 *
 *   export const GET = route({
 *     permission: "audit:read",
 *     query: AuditQuerySchema,
 *     handle: ({ actor, query }) => streamAuditCsv(actor, query),
 *     audit: ({ query }) => ({ action: "audit.export", targetType: "audit", detail: { filter: query } }),
 *     respond: (body) => download(body, "audit-log.csv", "text/csv; charset=utf-8"),
 *   });
 *
 * In order: the caller is admitted (401/403, the refusal recorded — lib/server/entry-point.ts); params, query and
 * body are validated (a body that is not JSON, or input that fails its schema: 400 with the schema's messages);
 * `handle` runs (the DAL function it calls authorizes again); the declared audit record is written (with the actor
 * and the client address) once `handle` has succeeded — for a streamed export, after its first page was read, so a
 * failed query leaves no "exported" row; then `respond` turns the result into the Response (default: JSON with
 * `status`). `handle` may also return a Response itself (a stream, another status). Any error on the way becomes
 * the JSON error `{ error, message }` with the AppError's status, or a 500 with a generic message and a request id.
 */
import { AppError } from "@/lib/errors";
import { searchParamsRecord } from "@/lib/list-query";
import { parseInput } from "@/lib/schemas/parse-input";
import { clientIp } from "@/lib/server/auth/current-actor";
import {
  admit,
  failureOf,
  writeDeclaredAudit,
  type Access,
  type ActorFor,
  type DeclaredAudit,
  type Parsed,
  type Schema,
} from "@/lib/server/entry-point";

export interface RouteContext<A extends Access, P, Q, B> {
  actor: ActorFor<A>;
  params: P;
  query: Q;
  body: B;
  /** The client address (lib/client-address.ts), for what the DAL records; null on a public route without audit. */
  ip: string | null;
  request: Request;
}

export interface RouteSpec<A extends Access, PS extends Schema, QS extends Schema, BS extends Schema, R> {
  /** Who may call: a permission of lib/server/permissions.ts, "signed-in", or "public" (no session is read). */
  permission: A;
  /** The dynamic segments, e.g. z.object({ id: AccountIdSchema }) for [id]. */
  params?: PS;
  /** The query string, as an object (a repeated key is an array). */
  query?: QS;
  /** The JSON body (an empty body reads as {}). Form bodies are read by the handler (`request.formData()`). */
  body?: BS;
  handle(context: RouteContext<A, Parsed<PS>, Parsed<QS>, Parsed<BS>>): Promise<R>;
  /** The audit record of a successful call. */
  audit?(input: { params: Parsed<PS>; query: Parsed<QS>; body: Parsed<BS>; result: R }): DeclaredAudit;
  /** The result as a Response; by default JSON with `status` (a Response returned by `handle` is sent as it is). */
  respond?(result: R): Response;
  /** The status of the default JSON response. */
  status?: number;
}

/** Next's second argument to a route handler: the dynamic segments (empty for a static path). */
export interface NextRouteArgument {
  params: Promise<Record<string, string | string[]>>;
}

export function route<
  A extends Access,
  PS extends Schema = undefined,
  QS extends Schema = undefined,
  BS extends Schema = undefined,
  R = unknown,
>(spec: RouteSpec<A, PS, QS, BS, R>): (request: Request, argument?: NextRouteArgument) => Promise<Response> {
  return async (request, argument) => {
    const url = new URL(request.url);
    try {
      // A public route without an audit record reads nothing of the caller (/api/health answers without a database).
      const knowsCaller = spec.permission !== "public" || spec.audit !== undefined;
      const actor = await admit(spec.permission, knowsCaller);
      const params = (spec.params ? parseInput(spec.params, await argument?.params) : undefined) as Parsed<PS>;
      const query = (
        spec.query ? parseInput(spec.query, searchParamsRecord(url.searchParams)) : undefined
      ) as Parsed<QS>;
      const body = (spec.body ? parseInput(spec.body, await jsonBody(request)) : undefined) as Parsed<BS>;
      const ip = knowsCaller ? await clientIp() : null;
      const result = await spec.handle({ actor, params, query, body, ip, request });
      if (spec.audit) await writeDeclaredAudit(spec.audit({ params, query, body, result }), actor, ip);
      if (spec.respond) return spec.respond(result);
      return result instanceof Response ? result : Response.json(result, { status: spec.status ?? 200 });
    } catch (error) {
      const { status, code, message, requestId } = failureOf(error, `${request.method} ${url.pathname}`);
      return Response.json({ error: code, message, ...(requestId ? { requestId } : {}) }, { status });
    }
  };
}

async function jsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("invalid_input", "The request body must be JSON.");
  }
}

/** The file name part of Content-Disposition, ASCII only. */
export const attachment = (fileName: string) => `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`;

/** A download: the body (text or a stream) with its type and file name. */
export function download(
  body: BodyInit,
  fileName: string,
  contentType: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(body, {
    headers: { "content-type": contentType, "content-disposition": attachment(fileName), ...headers },
  });
}
