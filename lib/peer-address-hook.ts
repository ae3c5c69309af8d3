/**
 * Stamps every request with its TCP peer address (lib/client-address.ts explains why): `next start` hands the app
 * only headers, and the X-Forwarded-For it fills from the socket is kept as the client sent it whenever the client
 * sent one. Node publishes each request on the diagnostics channel "http.server.request.start" synchronously, before
 * the server emits "request" to Next, so the header is set (and any client-sent header of that name overwritten)
 * before any of Next's code reads the request. Imported once, by instrumentation.ts, on the Node.js runtime.
 */
import { subscribe } from "node:diagnostics_channel";
import { PEER_ADDRESS_HEADER } from "@/lib/client-address";

subscribe("http.server.request.start", (message) => {
  const { request, socket } = message as {
    request: { headers: Record<string, string | string[] | undefined> };
    socket: { remoteAddress?: string };
  };
  if (socket.remoteAddress) request.headers[PEER_ADDRESS_HEADER] = socket.remoteAddress;
  else delete request.headers[PEER_ADDRESS_HEADER];
});
