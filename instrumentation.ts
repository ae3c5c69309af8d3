/**
 * Runs once when the server starts. Stamps every request with its TCP peer address (lib/client-address.ts
 * explains why): `next start` hands the app only headers, and the X-Forwarded-For it fills from the socket is kept
 * as the client sent it whenever the client sent one. Node publishes each request on the diagnostics channel
 * "http.server.request.start" synchronously, before the server emits "request" to Next, so the header is set (and
 * any client-sent header of that name overwritten) before any of Next's code reads the request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { subscribe } = await import("node:diagnostics_channel");
  const { PEER_ADDRESS_HEADER } = await import("@/lib/client-address");
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: { headers: Record<string, string | string[] | undefined> }; socket: { remoteAddress?: string } };
    if (socket.remoteAddress) request.headers[PEER_ADDRESS_HEADER] = socket.remoteAddress;
    else delete request.headers[PEER_ADDRESS_HEADER];
  });
}
