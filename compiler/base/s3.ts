// S3 locations as berth reads them: a model's artifact URI, an entry of the platform's
// artifactBuckets, and the IAM resource names that grant exactly such a location.

/** A bucket and a key prefix; the prefix is matched as a string, as S3 and IAM match it. */
export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isBucketName(name: string): boolean {
  return BUCKET.test(name) && !name.includes("..");
}

/** `s3://bucket/key...` (the prefix may be empty: the whole bucket). */
export function parseS3Uri(uri: string): S3Location | undefined {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (!m || !isBucketName(m[1]!)) return undefined;
  return { bucket: m[1]!, prefix: m[2] ?? "" };
}

/** An artifactBuckets entry: `bucket`, `bucket/prefix`, or the same as an s3:// URI. */
export function parseBucketEntry(entry: string): S3Location | undefined {
  return parseS3Uri(entry.startsWith("s3://") ? entry : `s3://${entry}`);
}

export function within(loc: S3Location, allowed: S3Location): boolean {
  return loc.bucket === allowed.bucket && loc.prefix.startsWith(allowed.prefix);
}

/** The AWS partition of a region: ARNs in China and GovCloud name their own. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.includes("-gov-")) return "aws-us-gov";
  return "aws";
}

export function bucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

/** Every object whose key starts with the prefix: `prefix*`, so a file artifact's siblings (`.sha256`) come along. */
export function objectsArn(partition: string, loc: S3Location): string {
  return `${bucketArn(partition, loc.bucket)}/${loc.prefix}*`;
}
