/**
 * The organisation's sync schedule, as an admin writes it ("daily", "daily at 02:00", "every 6 hours", "hourly",
 * "off", or a 5-field cron expression), turned into the cron pg-boss runs. Pure.
 */
export const SYNC_SCHEDULE_KEY = "sync.schedule";
export const DEFAULT_SYNC_SCHEDULE = "daily at 03:00";

export type ParsedSchedule = { ok: true; cron: string | null; label: string } | { ok: false; message: string };

const CRON_FIELD = /^(\*|\d{1,2}(-\d{1,2})?)(\/\d{1,2})?(,(\*|\d{1,2}(-\d{1,2})?)(\/\d{1,2})?)*$/;

export function parseSchedule(input: string): ParsedSchedule {
  const text = input.trim().toLowerCase().replace(/\s+/g, " ");
  if (text === "off" || text === "never" || text === "manual")
    return { ok: true, cron: null, label: "Off (sync now only)" };
  if (text === "hourly" || text === "every hour") return { ok: true, cron: "0 * * * *", label: "Every hour" };
  const daily = /^daily(?: at (\d{1,2}):(\d{2}))?$/.exec(text);
  if (daily) {
    const hour = daily[1] === undefined ? 3 : Number(daily[1]);
    const minute = daily[2] === undefined ? 0 : Number(daily[2]);
    if (hour > 23 || minute > 59) return { ok: false, message: "The time must be between 00:00 and 23:59 (UTC)." };
    const hh = String(hour).padStart(2, "0");
    const mm = String(minute).padStart(2, "0");
    return { ok: true, cron: `${minute} ${hour} * * *`, label: `Daily at ${hh}:${mm} UTC` };
  }
  const every = /^every (\d{1,2}) hours?$/.exec(text);
  if (every) {
    const hours = Number(every[1]);
    if (hours < 1 || hours > 24 || 24 % hours !== 0)
      return { ok: false, message: "“every N hours” needs N to divide 24 (1, 2, 3, 4, 6, 8, 12 or 24)." };
    return hours === 24
      ? { ok: true, cron: "0 0 * * *", label: "Daily at 00:00 UTC" }
      : { ok: true, cron: `0 */${hours} * * *`, label: `Every ${hours} hours` };
  }
  const fields = text.split(" ");
  if (fields.length === 5 && fields.every((f) => CRON_FIELD.test(f))) {
    // Guard against a schedule that would start a full sync every minute.
    if (fields[0] === "*" || fields[0]?.startsWith("*/"))
      return {
        ok: false,
        message: "A cron schedule must fix the minute (e.g. “0 */6 * * *”): syncing every minute would never finish.",
      };
    return { ok: true, cron: text, label: `Cron ${text} (UTC)` };
  }
  return {
    ok: false,
    message: `“${input.trim()}” is not a schedule. Use “daily”, “daily at 02:30”, “every 6 hours”, “hourly”, “off”, or a cron expression like “0 3 * * *”.`,
  };
}
