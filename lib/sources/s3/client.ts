/** The S3 client of an account and region, as the real connector builds it. */
import { S3Client } from "@aws-sdk/client-s3";
import type { AwsService } from "@/lib/sources/shared/connector";

export const s3Service: AwsService<S3Client> = {
  key: "s3",
  create: (config, options) =>
    new S3Client({
      ...config,
      // Safety net only: the collector already sends each bucket's calls to its own region.
      followRegionRedirects: true,
      ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}),
    }),
};
