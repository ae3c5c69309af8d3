import { z } from "zod";
import { readDeployTemplate } from "@/lib/server/dal/deploy-templates";
import { download, route } from "@/lib/server/http/route";

/** The CloudFormation templates in deploy/, downloadable from the Accounts page. */
export const GET = route({
  permission: "accounts:read",
  params: z.object({ file: z.string() }),
  handle: ({ actor, params }) => readDeployTemplate(actor, params.file),
  respond: ({ name, body }) => download(body, name, "application/json; charset=utf-8"),
});
