import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchAccountOptions } from "./account-options";

const answer = (status: number, body: string) =>
  vi.fn(async () => new Response(body, { status, headers: { "content-type": "application/json" } }));

afterEach(() => vi.unstubAllGlobals());

describe("fetchAccountOptions", () => {
  it("asks for the text, escaped, and returns the accounts and whether there are more", async () => {
    const fetch = answer(200, JSON.stringify({ accounts: [{ id: "111111111111", name: "prod" }], more: true }));
    vi.stubGlobal("fetch", fetch);
    expect(await fetchAccountOptions("a&b")).toEqual({ accounts: [{ id: "111111111111", name: "prod" }], more: true });
    expect(fetch).toHaveBeenCalledWith("/api/account-options?q=a%26b", { signal: undefined });
  });

  it("throws the server's message on a refusal, and says the status when there is none", async () => {
    vi.stubGlobal("fetch", answer(403, JSON.stringify({ message: "You may not read accounts." })));
    await expect(fetchAccountOptions("x")).rejects.toThrow("You may not read accounts.");
    vi.stubGlobal("fetch", answer(502, "<html>Bad gateway</html>"));
    await expect(fetchAccountOptions("x")).rejects.toThrow("The accounts could not be searched (HTTP 502).");
  });
});
