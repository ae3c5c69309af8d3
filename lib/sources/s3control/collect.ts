/** Account-wide S3 Block Public Access (S3 Control), which changes every bucket's effective exposure. */
import { GetPublicAccessBlockCommand, type S3ControlClient } from "@aws-sdk/client-s3-control";
import type { PublicAccessBlock, Setting } from "@/lib/domain/bucket-settings";
import { settle } from "@/lib/sources/shared/aws-call-result";
import { transformPublicAccessBlock } from "@/lib/sources/s3/transform";

/** NoSuchPublicAccessBlockConfiguration → absent (i.e. all four settings off at account level). */
export async function collectAccountPublicAccessBlock(
  client: Pick<S3ControlClient, "send">,
  accountId: string,
): Promise<Setting<PublicAccessBlock>> {
  return transformPublicAccessBlock(
    await settle(client.send(new GetPublicAccessBlockCommand({ AccountId: accountId }))),
  );
}
