import { currentActor } from "@/lib/server/auth/current-actor";
import { readDeployTemplate } from "@/lib/server/dal/deploy-templates";
import { jsonError } from "@/lib/server/route-handler";

/** The CloudFormation templates in deploy/, downloadable from the Accounts page. */
export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  try {
    const { name, body } = await readDeployTemplate(await currentActor(), (await params).file);
    return new Response(body, {
      headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="${name}"` },
    });
  } catch (error) {
    return jsonError(error);
  }
}
