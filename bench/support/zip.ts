// Reads the deployment zips serverless-esbuild writes (a handler and its source map, deflated), so that the benchmarks
// and the budget test look at the very bytes Lambda would get, without an unzip binary or another dependency.
import { readFileSync, statSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export type ZipEntry = {
  name: string;
  /** Bytes this entry takes in the zip: its local header, data, data descriptor and central directory record. */
  bytesInZip: number;
  compressedSize: number;
  size: number;
  content(): Buffer;
};

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;

function endOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new Error('not a zip: no end of central directory record');
}

function contentAt(zip: Buffer, localHeader: number, compressedSize: number, method: number): Buffer {
  if (zip.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) throw new Error('zip: bad local file header');
  const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
  const data = zip.subarray(start, start + compressedSize);
  if (method === 0) return data;
  if (method === 8) return inflateRawSync(data);
  throw new Error(`zip: compression method ${method} is not supported`);
}

/** The entries of a zip (no Zip64: deployment zips are far below 4 GB). */
export function readZip(path: string): ZipEntry[] {
  const zip = readFileSync(path);
  const end = endOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  const entries: ZipEntry[] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw new Error(`${path}: bad central directory record`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const centralRecord = 46 + nameLength + extraLength + commentLength;
    const localRecord = 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    // Flag bit 3: the sizes follow the data in a descriptor (16 bytes with its optional signature, 12 without).
    const descriptorAt = localHeader + localRecord + compressedSize;
    const descriptor = zip.readUInt16LE(at + 8) & 8 ? (zip.readUInt32LE(descriptorAt) === DATA_DESCRIPTOR ? 16 : 12) : 0;
    entries.push({ name, compressedSize, size, bytesInZip: localRecord + compressedSize + descriptor + centralRecord, content: () => contentAt(zip, localHeader, compressedSize, method) });
    at += centralRecord;
  }
  return entries;
}

export type ZipSizes = { bytes: number; code: number; sourceMap: number };

/** A deployment zip's size, and what its code (`.js`) and its source map (`.map`) take of it. */
export function zipSizes(path: string): ZipSizes {
  const entries = readZip(path);
  const taken = (suffix: string) => entries.filter((e) => e.name.endsWith(suffix)).reduce((n, e) => n + e.bytesInZip, 0);
  return { bytes: statSync(path).size, code: taken('.js'), sourceMap: taken('.map') };
}
