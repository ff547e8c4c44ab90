import { type DateTime, IANAZone, Info, type ZoneOffsetOptions } from "luxon";

/**
 * An IANA zone that remembers offsets and offset names. Luxon asks Intl for the offset of every DateTime it
 * builds (about 9 µs here), which alone would cap deadline computations near 100,000/s; offsets only
 * change at DST transitions, so a 15-minute bucket is cached whenever both of its ends agree. A time's
 * zone name (`ZZZZ`, "EST") is dearer still: luxon builds a new Intl.DateTimeFormat for each (about
 * 40 µs); here one formatter per style and locale is kept, and names are cached by bucket the same way.
 */
class CachedZone extends IANAZone {
  private readonly offsets = new Map<number, number>();
  private readonly names = new Map<
    string,
    { format: Intl.DateTimeFormat; byBucket: Map<number, string | null> }
  >();

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

  override offsetName(ts: number, { format, locale }: ZoneOffsetOptions): string | null {
    const names = this.namesIn(format, locale);
    const bucket = Math.floor(ts / BUCKET_MS);
    const known = names.byBucket.get(bucket);
    if (known !== undefined) return known;
    const name = zoneName(names.format, ts);
    if (
      zoneName(names.format, bucket * BUCKET_MS) === name &&
      zoneName(names.format, (bucket + 1) * BUCKET_MS - 1) === name
    ) {
      if (names.byBucket.size > 100_000) names.byBucket.clear();
      names.byBucket.set(bucket, name);
    }
    return name;
  }

  private namesIn(format: string | undefined, locale: string | undefined) {
    const key = `${format}|${locale}`;
    let names = this.names.get(key);
    if (!names) {
      // The options luxon's own offsetName (parseZoneInfo) formats with, so the words are the same.
      const options = {
        timeZoneName: format,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        timeZone: this.name,
      } as Intl.DateTimeFormatOptions;
      names = { format: new Intl.DateTimeFormat(locale, options), byBucket: new Map() };
      this.names.set(key, names);
    }
    return names;
  }
}

function zoneName(format: Intl.DateTimeFormat, ts: number): string | null {
  const part = format.formatToParts(new Date(ts)).find((p) => p.type.toLowerCase() === "timezonename");
  return part ? part.value : null;
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

const named = new Map<string, IANAZone | string>();

/**
 * What to hand luxon for a zone named in a file or a setting: the cached zone for an IANA name, and the
 * name itself for what luxon reads otherwise ("UTC" is its fixed zone, printed `Z`; "utc+3"; "local").
 */
export function zoneNamed(name: string): IANAZone | string {
  let zone = named.get(name);
  if (zone === undefined) {
    const lowered = name.toLowerCase();
    const plain = lowered === "default" ? name : Info.normalizeZone(name);
    // An unknown name stays a string (an invalid DateTime, as before) and is not remembered.
    if (!(plain instanceof IANAZone && plain.isValid)) return name;
    zone = cachedZone(name);
    named.set(name, zone);
  }
  return zone;
}

/** `t` in a named zone, its offsets and zone names from the cache. */
export function inZone(t: DateTime, name: string): DateTime {
  return t.setZone(zoneNamed(name));
}
