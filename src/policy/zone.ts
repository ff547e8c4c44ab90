import { IANAZone } from "luxon";

/**
 * An IANA zone that remembers offsets. Luxon asks Intl for the offset of every DateTime it builds
 * (about 9 µs here), which alone would cap deadline computations near 100,000/s; offsets only
 * change at DST transitions, so a 15-minute bucket is cached whenever both of its ends agree.
 */
class CachedZone extends IANAZone {
  private readonly offsets = new Map<number, number>();

  override offset(ts: number): number {
    const bucket = Math.floor(ts / BUCKET_MS);
    const known = this.offsets.get(bucket);
    if (known !== undefined) return known;
    const offset = super.offset(ts);
    if (
      super.offset(bucket * BUCKET_MS) === offset &&
      super.offset((bucket + 1) * BUCKET_MS - 1) === offset
    ) {
      if (this.offsets.size > 500_000) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    return offset;
  }
}

const BUCKET_MS = 15 * 60_000;
const zones = new Map<string, IANAZone>();

/** One shared zone object per IANA name; DateTimes in it behave exactly as in `setZone(name)`. */
export function cachedZone(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = new CachedZone(name);
    zones.set(name, zone);
  }
  return zone;
}
