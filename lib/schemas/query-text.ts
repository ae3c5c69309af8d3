/**
 * Rules shared by the query-string schemas. Control characters are refused in every free-text filter: no name,
 * tag, OU or e-mail Custody shows contains one, and Postgres refuses a NUL byte in text outright (a query with
 * one was a 500, and an export a 200 that broke off). Dates must be real calendar days: `new Date("2026-13-45")`
 * is Invalid Date (a 500) and `2026-02-30` rolls over to March.
 */
import { z } from "zod";

const CONTROL_CHARACTERS = /\p{Cc}/u;

export const hasNoControlCharacters = (value: string) => !CONTROL_CHARACTERS.test(value);

export const noControlCharactersMessage = (field: string) => `${field} must not contain control characters`;

/** `YYYY-MM-DD` naming a day that exists (month 1–12, day within the month). */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

/** A query-string date: `YYYY-MM-DD`, a real day. */
export const calendarDay = (field: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${field} must be a date (YYYY-MM-DD)` })
    .refine(isCalendarDay, { error: `${field} must be a real date (YYYY-MM-DD); there is no such day` });
