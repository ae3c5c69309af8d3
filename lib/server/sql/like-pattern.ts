import "server-only";

/**
 * An ILIKE pattern that matches `text` anywhere, with LIKE's own characters (%, _ and the escape \) taken literally:
 * a search for "a_b" must not match "axb", and "100%" must not match everything after "100".
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
