/**
 * Just enough ZIP reading to verify an evidence bundle someone uploads: the central directory, then each entry
 * (stored or deflated). Not a general ZIP library: no ZIP64, no encryption — bundles Custody writes need neither.
 */
import { inflateRawSync } from "node:zlib";

export class ZipReadError extends Error {}

export function readZipEntries(zip: Buffer): Map<string, Buffer> {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipReadError("the file is not a ZIP archive");
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff)
    throw new ZipReadError("ZIP64 archives are not supported; paste the manifest hash instead");
  const entries = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== 0x02014b50)
      throw new ZipReadError("the ZIP central directory is damaged");
    const method = zip.readUInt16LE(offset + 10);
    const compressed = zip.readUInt32LE(offset + 20);
    const nameLen = zip.readUInt16LE(offset + 28);
    const extraLen = zip.readUInt16LE(offset + 30);
    const commentLen = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.subarray(offset + 46, offset + 46 + nameLen).toString("utf8");
    offset += 46 + nameLen + extraLen + commentLen;
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50)
      throw new ZipReadError(`the ZIP entry ${name} is damaged`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressed);
    if (method === 0) entries.set(name, Buffer.from(data));
    else if (method === 8) {
      try {
        entries.set(name, inflateRawSync(data));
      } catch {
        throw new ZipReadError(`the ZIP entry ${name} cannot be decompressed`);
      }
    } else throw new ZipReadError(`the ZIP entry ${name} uses an unsupported compression method (${method})`);
  }
  return entries;
}
