import { describe, expect, it } from "vitest";
import { absent, present, unknown, type PublicAccessBlock, type Setting } from "../bucket-settings";
import { blockPublicAccess } from "./block-public-access";
import { goodInput } from "./control-input-fixture";

const ALL: PublicAccessBlock = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
const some = (over: Partial<PublicAccessBlock>): Setting<PublicAccessBlock> => present({ ...ALL, ...over });

describe("block-public-access", () => {
  it.each([
    { name: "both levels on", bucket: present(ALL), account: present(ALL), status: "pass" },
    { name: "account on, bucket absent", bucket: absent<PublicAccessBlock>(), account: present(ALL), status: "pass" },
    { name: "bucket on, account absent", bucket: present(ALL), account: absent<PublicAccessBlock>(), status: "pass" },
    {
      name: "one flag off at both levels",
      bucket: some({ restrictPublicBuckets: false }),
      account: absent<PublicAccessBlock>(),
      status: "fail",
      reason: "RestrictPublicBuckets off at bucket and account level",
    },
    {
      name: "complementary flags",
      bucket: some({ restrictPublicBuckets: false }),
      account: some({ blockPublicAcls: false }),
      status: "pass",
    },
    {
      name: "nothing set",
      bucket: absent<PublicAccessBlock>(),
      account: absent<PublicAccessBlock>(),
      status: "fail",
      reason:
        "BlockPublicAcls off at bucket and account level; IgnorePublicAcls off at bucket and account level; BlockPublicPolicy off at bucket and account level; RestrictPublicBuckets off at bucket and account level",
    },
    {
      name: "account unreadable, bucket all on",
      bucket: present(ALL),
      account: unknown<PublicAccessBlock>("AccessDenied"),
      status: "pass",
    },
    {
      name: "account unreadable, bucket absent",
      bucket: absent<PublicAccessBlock>(),
      account: unknown<PublicAccessBlock>("AccessDenied"),
      status: "unknown",
      reason: "BlockPublicAcls unknown (account Block Public Access could not be read: AccessDenied)",
    },
    {
      name: "account unreadable, bucket flag known off is still unknown",
      bucket: some({ ignorePublicAcls: false }),
      account: unknown<PublicAccessBlock>("AccessDenied"),
      status: "unknown",
      reason: "IgnorePublicAcls unknown (account Block Public Access could not be read: AccessDenied)",
    },
  ])("$name", ({ bucket, account, status, reason }) => {
    const v = blockPublicAccess.evaluate(
      goodInput({ settings: { publicAccessBlock: bucket }, account: { publicAccessBlock: account } }),
    );
    expect(v.status).toBe(status);
    if (reason) expect(v.reason.startsWith(reason)).toBe(true);
  });
});
