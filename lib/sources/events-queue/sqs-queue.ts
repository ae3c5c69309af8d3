/**
 * The hub's bucket-change queue (deploy/custody-events-hub.json): the only place Custody makes non-read AWS calls —
 * sqs:ReceiveMessage and sqs:DeleteMessage, on this one queue, with the hub's own credentials (never through a
 * member account's read-only role, whose allow-list stays Get/List/Describe only).
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

export interface QueueMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** How many times SQS has handed this message out (1 on the first delivery). */
  receiveCount: number;
}

export interface EventsQueue {
  /** Long-polls for up to `max` messages (at most 10, SQS's limit), waiting up to `waitSeconds` (≤ 20). */
  receive(opts: { max: number; waitSeconds: number; signal?: AbortSignal }): Promise<QueueMessage[]>;
  /** Deletes handled messages; returns the ids SQS failed to delete (they come back and are handled again). */
  delete(messages: Pick<QueueMessage, "messageId" | "receiptHandle">[]): Promise<string[]>;
}

/** The SQS commands this module sends: the hub consumer's whole IAM policy (held by events-templates.test.ts). */
export const EVENTS_QUEUE_ACTIONS = ["sqs:DeleteMessage", "sqs:ReceiveMessage"] as const;

/** The queue's region, from its URL (https://sqs.<region>.amazonaws.com/<account>/<name>); null for other hosts. */
export function queueRegion(queueUrl: string): string | null {
  const host = new URL(queueUrl).hostname;
  return /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(host)?.[1] ?? null;
}

export function sqsEventsQueue(opts: {
  queueUrl: string;
  region?: string;
  endpointUrl?: string;
  /** Default: the SDK's provider chain (the hub's own identity). Tests pass the emulator's. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}): EventsQueue {
  const client = new SQSClient({
    region: opts.region ?? queueRegion(opts.queueUrl) ?? "us-east-1",
    ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
  });
  return {
    async receive({ max, waitSeconds, signal }) {
      const out = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: opts.queueUrl,
          MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
          WaitTimeSeconds: Math.min(20, Math.max(0, waitSeconds)),
          MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        }),
        { abortSignal: signal },
      );
      return (out.Messages ?? []).flatMap((m) =>
        m.MessageId && m.ReceiptHandle
          ? [
              {
                messageId: m.MessageId,
                receiptHandle: m.ReceiptHandle,
                body: m.Body ?? "",
                receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? "1"),
              },
            ]
          : [],
      );
    },
    async delete(messages) {
      // One DeleteMessage per message (the consumer's only write, exactly what its IAM policy names); a failure
      // leaves that message to come back and be handled again, which is harmless.
      const failed: string[] = [];
      await Promise.all(
        messages.map((m) =>
          client
            .send(new DeleteMessageCommand({ QueueUrl: opts.queueUrl, ReceiptHandle: m.receiptHandle }))
            .catch(() => failed.push(m.messageId)),
        ),
      );
      return failed;
    },
  };
}
