/**
 * Runs once when the server starts. On the Node.js runtime it stamps every request with its TCP peer address
 * (lib/peer-address-hook.ts); the import sits behind the runtime check so the Edge compilation never sees node: APIs.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./lib/peer-address-hook");
}
