/** The AWS Config client of an account and region. */
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import type { AwsService } from "@/lib/sources/shared/connector";

export const configService: AwsService<ConfigServiceClient> = {
  key: "config",
  create: (config) => new ConfigServiceClient(config),
};
