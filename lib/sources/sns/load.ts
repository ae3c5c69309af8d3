/**
 * The SNS source's SQL: the topics an account's sync reads (the SNS actions of the alarms the CloudWatch step just
 * stored), and the load of what was read in ONE statement. Each topic's row is replaced by its read (a failed read
 * by {ok: false, reason}); topics no stored alarm names any more are deleted — but only when every region's alarms
 * were readable: an unreadable region's last good alarms may still name a topic, so its last good row stays.
 */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import type { SnsCollection } from "./collect";

export async function alarmTopicArnsOf(
  client: Db,
  accountId: string,
): Promise<{ topicArns: string[]; allAlarmsRead: boolean }> {
  const unreadable = await bulkPoolFor(client).query<{ n: number }>({
    name: "sns-unreadable-alarm-sets",
    text: `SELECT count(*)::int AS n FROM metric_alarm_set WHERE account_id = $1 AND NOT (alarms->>'ok')::bool`,
    values: [accountId],
  });
  const result = await bulkPoolFor(client).query<{ arn: string }>({
    name: "sns-alarm-topics",
    text: `SELECT DISTINCT action AS arn
             FROM metric_alarm_set s
             CROSS JOIN LATERAL jsonb_array_elements(
               CASE WHEN (s.alarms->>'ok')::bool THEN s.alarms->'value' ELSE '[]'::jsonb END) a
             CROSS JOIN LATERAL jsonb_array_elements_text(a->'alarmActions') action
            WHERE s.account_id = $1 AND action ~ '^arn:[^:]+:sns:'`,
    values: [accountId],
  });
  return { topicArns: result.rows.map((r) => r.arn), allAlarmsRead: (unreadable.rows[0]?.n ?? 0) === 0 };
}

export async function loadAlarmTopics(
  client: Db,
  input: {
    syncRunId: string;
    accountId: string;
    readAt: Date;
    collection: SnsCollection;
    /** Delete the topics not read (false when some region's alarms were unreadable: see the header). */
    deleteUnread: boolean;
  },
): Promise<{ written: number }> {
  const { syncRunId, accountId, readAt, collection, deleteUnread } = input;
  const topics = collection.topics;
  const result = await bulkPoolFor(client).query<{ written: number }>({
    name: "load-sns-topics",
    text: `WITH u AS (SELECT * FROM unnest($4::text[], $5::text[], $6::jsonb[]) AS u(topic_arn, region, topic)),
     written AS (
       INSERT INTO sns_topic (account_id, topic_arn, region, topic, read_at, sync_run_id)
       SELECT $1, u.topic_arn, u.region, u.topic, $2, $3::uuid FROM u
       ON CONFLICT (account_id, topic_arn) DO UPDATE
         SET region = EXCLUDED.region, topic = EXCLUDED.topic, read_at = EXCLUDED.read_at,
             sync_run_id = EXCLUDED.sync_run_id
       RETURNING 1),
     gone AS (
       DELETE FROM sns_topic t WHERE t.account_id = $1 AND $7::bool AND NOT EXISTS (SELECT 1 FROM u WHERE u.topic_arn = t.topic_arn))
     SELECT (SELECT count(*) FROM written)::int AS written`,
    values: [
      accountId,
      readAt,
      syncRunId,
      topics.map((t) => t.arn),
      topics.map((t) => t.region),
      topics.map((t) => JSON.stringify(t.topic)),
      deleteUnread,
    ],
  });
  return { written: result.rows[0]?.written ?? 0 };
}
