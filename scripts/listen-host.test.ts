import { describe, expect, it } from "vitest";
import { displayUrl, listenHost } from "./listen-host";

// Issue 14 §11: the embedded demo (whose password may be known) is not offered to the network unless HOST asks.
describe("the web server's listen address", () => {
  it("is loopback for the embedded demo, every interface with your own database, HOST when set", () => {
    expect(listenHost(true, undefined)).toBe("127.0.0.1");
    expect(listenHost(true, "  ")).toBe("127.0.0.1");
    expect(listenHost(false, undefined)).toBeNull();
    expect(listenHost(true, "0.0.0.0")).toBe("0.0.0.0");
    expect(listenHost(false, "10.0.0.5")).toBe("10.0.0.5");
  });
  it("prints a URL a browser can open", () => {
    expect(displayUrl("127.0.0.1", 3000)).toBe("http://127.0.0.1:3000");
    expect(displayUrl(null, 3000)).toBe("http://localhost:3000");
    expect(displayUrl("0.0.0.0", 8080)).toBe("http://localhost:8080");
    expect(displayUrl("::1", 3000)).toBe("http://[::1]:3000");
  });
});
