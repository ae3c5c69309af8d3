/** Account-wide S3 Block Public Access (S3 Control), which changes every bucket's effective exposure. */
import { GetPublicAccessBlockCommand, S3ControlClient } from "@aws-sdk/client-s3-control";
import type { PublicAccessBlock, Setting } from "@/lib/domain/bucket-settings";
import { settle } from "@/lib/sources/shared/aws-call-result";
import type { AwsService } from "@/lib/sources/shared/connector";
import { transformPublicAccessBlock } from "@/lib/sources/s3/transform";

/** The S3 Control client (account-level S3 settings) of an account and region. */
export const s3controlService: AwsService<S3ControlClient> = {
  key: "s3control",
  create: (config) => new S3ControlClient(config),
};

/** NoSuchPublicAccessBlockConfiguration → absent (i.e. all four settings off at account level). */
export async function collectAccountPublicAccessBlock(
  client: Pick<S3ControlClient, "send">,
  accountId: string,
): Promise<Setting<PublicAccessBlock>> {
  return transformPublicAccessBlock(
    await settle(client.send(new GetPublicAccessBlockCommand({ AccountId: accountId }))),
  );
}
