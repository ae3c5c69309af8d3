/** The fixture AWS's S3 Control: the account-level Block Public Access of the generated account. */
import { S3ControlServiceException } from "@aws-sdk/client-s3-control";
import {
  fixtureServiceError,
  UnsupportedFixtureOperationError,
  type FixtureAccountWorld,
  type FixtureResponder,
} from "@/lib/sources/fixture/world";

const s3controlError = (name: string, httpStatusCode: number, message: string) =>
  fixtureServiceError(S3ControlServiceException, name, httpStatusCode, message);

export const s3controlFixture: FixtureResponder = {
  answer: ({ world, operation, input }) => answerS3Control(world, operation, input),
  throttlingError: () => s3controlError("SlowDown", 503, "Please reduce your request rate."),
};

export function answerS3Control(
  world: FixtureAccountWorld,
  operation: string,
  input: Record<string, unknown>,
): unknown {
  if (operation !== "GetPublicAccessBlock") throw new UnsupportedFixtureOperationError("s3control", operation);
  if (input.AccountId !== world.account.accountId) throw s3controlError("AccessDenied", 403, "Access Denied");
  const p = world.account.accountPublicAccessBlock;
  if (!p)
    throw s3controlError(
      "NoSuchPublicAccessBlockConfiguration",
      404,
      "The public access block configuration was not found",
    );
  return {
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: p.blockPublicAcls,
      IgnorePublicAcls: p.ignorePublicAcls,
      BlockPublicPolicy: p.blockPublicPolicy,
      RestrictPublicBuckets: p.restrictPublicBuckets,
    },
  };
}
