/** Inputs for linking AWS accounts (the Accounts page, the route handlers and the CLI share these). */
import { z } from "zod";
import { hasNoControlCharacters, noControlCharactersMessage } from "@/lib/schemas/query-text";

/** arn:aws:iam::123456789012:role/CustodyReadOnly (paths allowed: role/team/CustodyReadOnly). */
export const ROLE_ARN_PATTERN =
  /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

export const RoleArnSchema = z
  .string({ error: "Enter the role ARN." })
  .trim()
  .min(1, "Enter the role ARN.")
  .max(2048, "That role ARN is too long.")
  .regex(
    ROLE_ARN_PATTERN,
    "A role ARN looks like arn:aws:iam::123456789012:role/CustodyReadOnly (12-digit account id, then role/<name>).",
  );

export function accountIdOfRoleArn(roleArn: string): string {
  const m = ROLE_ARN_PATTERN.exec(roleArn);
  if (!m?.[2]) throw new Error(`not a role ARN: ${roleArn}`);
  return m[2];
}

/** AWS's ExternalId rules: 2–1224 characters of letters, digits and +=,.@:/- (no spaces). */
export const ExternalIdSchema = z
  .string()
  .trim()
  .min(2, "An ExternalId has at least 2 characters.")
  .max(1224, "An ExternalId has at most 1224 characters.")
  .regex(/^[\w+=,.@:/-]+$/, "An ExternalId may contain only letters, digits and + = , . @ : / - _ (no spaces).");

const optionalText = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

export const AddAccountSchema = z.object({
  roleArn: RoleArnSchema,
  name: optionalText(z.string().trim().max(100, "The name is limited to 100 characters.")),
  externalId: optionalText(ExternalIdSchema),
});
export type AddAccountInput = z.infer<typeof AddAccountSchema>;

/** Correcting a linked account: any of name, role ARN (same account) and ExternalId. */
export const UpdateAccountSchema = z
  .object({
    name: optionalText(z.string().trim().max(100, "The name is limited to 100 characters.")),
    roleArn: optionalText(RoleArnSchema),
    externalId: optionalText(ExternalIdSchema),
  })
  .refine(
    (v) => v.name !== undefined || v.roleArn !== undefined || v.externalId !== undefined,
    "Change at least one of name, role ARN and ExternalId.",
  );
export type UpdateAccountInput = z.infer<typeof UpdateAccountSchema>;

/** A role name (no path), used as the pattern arn:aws:iam::<account>:role/<name> for every discovered account. */
export const RoleNameSchema = z
  .string({ error: "Enter the role name." })
  .trim()
  .regex(/^[\w+=,.@-]{1,64}$/, "A role name is 1–64 letters, digits and + = , . @ - _ (e.g. CustodyReadOnly).");

export const DiscoverSchema = z.object({
  roleName: RoleNameSchema,
  /** The management or delegated-administrator account (linked already) to list the organisation from. */
  fromAccountId: optionalText(z.string().regex(/^\d{12}$/, "The account to discover from is a 12-digit account id.")),
  externalId: optionalText(ExternalIdSchema),
});
export type DiscoverInput = z.infer<typeof DiscoverSchema>;

export const AccountIdSchema = z.string().regex(/^\d{12}$/, "An AWS account id has 12 digits.");

/** The [id] segment of /api/accounts/[id]/…. */
export const AccountParamsSchema = z.object({ id: AccountIdSchema });

export const SyncRequestSchema = z.object({
  /** Omit to sync every enabled account. */
  accountId: optionalText(AccountIdSchema),
});

/** PUT /api/sync/schedule: "daily", "daily at 02:30", "every 6 hours", "hourly", "off" or a cron expression. */
export const SyncScheduleSchema = z.object({
  expression: z.string().trim().min(1, "Enter a schedule (e.g. “daily”).").max(100),
});

/** GET /api/account-options?q=…: the text typed into an account filter (name or id, any part). */
export const AccountOptionsQuerySchema = z.object({
  q: z.preprocess(
    (v) => (Array.isArray(v) ? v[0] : v) ?? "",
    z
      .string()
      .trim()
      .max(100, "search text is limited to 100 characters")
      .refine(hasNoControlCharacters, noControlCharactersMessage("q")),
  ),
});
