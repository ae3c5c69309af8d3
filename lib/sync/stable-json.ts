/** JSON with object keys sorted, so equal settings always hash equally whatever order AWS returned them in. */
import { createHash } from "node:crypto";

export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return value === undefined ? "null" : JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + stableStringify(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${stableStringify(v)}`;
    first = false;
  }
  return `${out}}`;
}

export const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");

export const contentHash = (value: unknown) => sha256Hex(stableStringify(value));
