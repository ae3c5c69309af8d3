/**
 * THE read-only allow-list: every AWS command a source may send, with the IAM actions it needs — the union of the
 * registered sources' `commands`. The read-only role templates in deploy/ grant exactly these actions
 * (deploy-templates.test.ts), and read-only-allow-list.test.ts pins that the sources send nothing else. Adding a
 * call means adding it to its source's `commands`, in review.
 */
import { SOURCES } from "@/lib/sources/registry";

/** Every command name any source may send ("ListBucketsCommand"). */
export const ALLOWED_COMMANDS: ReadonlySet<string> = new Set(SOURCES.flatMap((s) => Object.keys(s.commands)));

/** The commands one service may send (S3's GetPublicAccessBlock is not S3 Control's). */
export function allowedCommandsOf(serviceKey: string): ReadonlySet<string> {
  return new Set(Object.keys(SOURCES.find((s) => s.key === serviceKey)?.commands ?? {}));
}

/** The IAM actions the read-only role must grant, sorted. */
export function readOnlyRoleActions(): string[] {
  return [...new Set(SOURCES.flatMap((s) => Object.values(s.commands).flat()))].sort();
}

/**
 * The one exception, outside every member account: the hub's own bucket-change queue (lib/sources/events-queue),
 * read with the hub's credentials. Receiving and deleting its messages are Custody's only non-read AWS calls; they are
 * not a source, never go through a member's read-only role, and the role templates do not grant them.
 */
export const HUB_QUEUE_MODULE = "events-queue/sqs-queue.ts";
export const HUB_QUEUE_COMMANDS: ReadonlySet<string> = new Set(["ReceiveMessageCommand", "DeleteMessageCommand"]);
