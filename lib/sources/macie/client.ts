/** The Amazon Macie client of an account and region. */
import { Macie2Client } from "@aws-sdk/client-macie2";
import type { AwsService } from "@/lib/sources/shared/connector";

export const macieService: AwsService<Macie2Client> = {
  key: "macie",
  create: (config) => new Macie2Client(config),
};
