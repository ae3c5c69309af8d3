import { describe, expect, it } from "vitest";
import {
  isOptInRegion,
  isRegionNotEnabledError,
  regionNotEnabledError,
  regionNotEnabledIn,
} from "./region-not-enabled";

describe("region not enabled", () => {
  it("knows the opt-in regions from those every account has", () => {
    for (const r of ["af-south-1", "ap-east-1", "eu-south-2", "me-central-1", "il-central-1", "ca-west-1"]) {
      expect(isOptInRegion(r), r).toBe(true);
    }
    for (const r of ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1", "us-gov-west-1", "cn-north-1"]) {
      expect(isOptInRegion(r), r).toBe(false);
    }
  });

  it("reads STS's RegionDisabledException anywhere, and unknown credentials only in an opt-in region", () => {
    expect(isRegionNotEnabledError({ name: "RegionDisabledException" }, "us-east-1")).toBe(true);
    expect(isRegionNotEnabledError({ name: "UnrecognizedClientException" }, "ap-east-1")).toBe(true);
    expect(isRegionNotEnabledError({ name: "InvalidClientTokenId" }, "me-south-1")).toBe(true);
    // In a region every account has, the same answers mean bad credentials: not "not enabled".
    expect(isRegionNotEnabledError({ name: "UnrecognizedClientException" }, "eu-west-1")).toBe(false);
    expect(isRegionNotEnabledError({ name: "InvalidClientTokenId" }, "us-east-1")).toBe(false);
    expect(isRegionNotEnabledError({ name: "AccessDeniedException" }, "ap-east-1")).toBe(false);
  });

  it("keeps AWS's words in the stored reason and finds the region in it again", () => {
    const e = regionNotEnabledError("ap-east-1", {
      name: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    });
    expect(e.name).toBe("RegionNotEnabled");
    const reason = `${e.name}: ${e.message}`;
    expect(reason).toBe(
      "RegionNotEnabled: region ap-east-1 is not enabled in this account (AWS answered UnrecognizedClientException: The security token included in the request is invalid.)",
    );
    expect(regionNotEnabledIn(`CloudTrail could not be read: ${reason}`)).toBe("ap-east-1");
    expect(regionNotEnabledIn("AccessDenied: not authorized")).toBeNull();
  });
});
