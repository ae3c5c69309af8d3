import { describe, expect, it } from "vitest";
import type { AccountClients, AccountRef, AwsConnector } from "@/lib/sources/shared/connector";
import { createSessionCache, isCredentialError } from "./session-cache";

function fakeConnector(fail = new Set<string>()) {
  let connects = 0;
  const connector: AwsConnector = {
    async connect(ref: AccountRef) {
      connects++;
      if (fail.has(ref.accountId)) throw new Error("AccessDenied");
      return { get: () => ({}) } as unknown as AccountClients;
    },
    callCounts: () => ({}),
  };
  return { connector, connects: () => connects };
}
const account = (id: string, roleArn = `arn:aws:iam::${id}:role/CustodyReadOnly`) => ({
  accountId: id,
  roleArn,
  externalId: "x",
});

describe("createSessionCache", () => {
  it("assumes an account's role once for many refreshes", async () => {
    const f = fakeConnector();
    const cache = createSessionCache(f.connector);
    await Promise.all([1, 2, 3].map(() => cache.clientsFor(account("111111111111"))));
    await cache.clientsFor(account("222222222222"));
    expect(f.connects()).toBe(2);
  });

  it("assumes again after the maximum age, a role change, or a drop", async () => {
    let t = 0;
    const f = fakeConnector();
    const cache = createSessionCache(f.connector, 1000, () => t);
    await cache.clientsFor(account("111111111111"));
    t = 1001;
    await cache.clientsFor(account("111111111111"));
    await cache.clientsFor(account("111111111111", "arn:aws:iam::111111111111:role/Other"));
    cache.drop("111111111111");
    await cache.clientsFor(account("111111111111", "arn:aws:iam::111111111111:role/Other"));
    expect(f.connects()).toBe(4);
  });

  it("does not keep a failed assume", async () => {
    const f = fakeConnector(new Set(["111111111111"]));
    const cache = createSessionCache(f.connector);
    await expect(cache.clientsFor(account("111111111111"))).rejects.toThrow("AccessDenied");
    await expect(cache.clientsFor(account("111111111111"))).rejects.toThrow("AccessDenied");
    expect(f.connects()).toBe(2);
  });

  it("knows the errors of refused credentials", () => {
    const expired = Object.assign(new Error("The security token included in the request is expired"), {
      name: "ExpiredToken",
    });
    expect(isCredentialError(expired)).toBe(true);
    expect(isCredentialError(Object.assign(new Error("x"), { name: "AccessDenied" }))).toBe(false);
  });
});
