// Draws the Teams app icons (no image library needed): color.png 192x192 (white escalation chevrons on the
// accent colour) and outline.png 32x32 (the same chevrons, white on transparent), as Teams requires.
// Run once: `node scripts/teams-icons.mjs`; the PNGs are committed in manifests/teams/.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
/** An RGBA PNG of `size` x `size`, each pixel from `paint(x, y)` → [r, g, b, a]. */
export function png(size, paint) {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) rows.set(paint(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
/** Two stacked upward chevrons in a unit square: "escalate". */
function onChevrons(u, v) {
  const w = 0.09;
  const chevron = (top) => {
    const dy = v - (top + Math.abs(u - 0.5) * 0.7);
    return Math.abs(u - 0.5) < 0.32 && dy >= 0 && dy < w * 1.6;
  };
  return chevron(0.28) || chevron(0.5);
}
const accent = [0xc0, 0x39, 0x2b, 255];
const white = [255, 255, 255, 255];
const clear = [0, 0, 0, 0];
if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(
    "manifests/teams/color.png",
    png(192, (x, y) => (onChevrons(x / 192, y / 192) ? white : accent)),
  );
  writeFileSync(
    "manifests/teams/outline.png",
    png(32, (x, y) => (onChevrons((x + 0.5) / 32, (y + 0.5) / 32) ? white : clear)),
  );
}
