import "server-only";
/** The read-only role templates shipped in deploy/ (single account, and the StackSet for an organisation). */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { authorize, type Actor } from "@/lib/server/permissions";

export const DEPLOY_TEMPLATES = {
  "custody-readonly-role.json": "The read-only role for one account (CloudFormation stack)",
  "custody-readonly-stackset.json":
    "The same role in every account of an organisation or OU (CloudFormation StackSet, service-managed)",
} as const;

export async function readDeployTemplate(actor: Actor | null, file: string) {
  authorize(actor, "accounts:read");
  if (!Object.hasOwn(DEPLOY_TEMPLATES, file)) throw new AppError("not_found", `There is no template called “${file}”.`);
  return { name: file, body: await readFile(path.join(process.cwd(), "deploy", file), "utf8") };
}
