/** The S3 Control client (account-level S3 settings) of an account and region. */
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import type { AwsService } from "@/lib/sources/shared/connector";

export const s3controlService: AwsService<S3ControlClient> = {
  key: "s3control",
  create: (config) => new S3ControlClient(config),
};
