// What a workload may do in AWS, as data: the S3 locations it reads (its versions' artifacts) and
// writes (batch outputs), and the IAM permission policy that grants exactly those and nothing else.
// Built the same way every time: locations deduplicated and sorted, statements in a fixed order.
import { cmp } from "../base/order.js";
import { bucketArn, objectsArn, parseS3Uri, type S3Location } from "../base/s3.js";

export interface S3Grant {
  readonly read: readonly S3Location[];
  readonly write: readonly S3Location[];
}

export interface IamStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
  Condition?: { StringLike: { "s3:prefix": string[] } };
}

export interface IamPolicy {
  Version: "2012-10-17";
  Statement: IamStatement[];
}

/** IAM's limit on the inline policies of one role, counted without whitespace. */
export const MAX_INLINE_POLICY_CHARS = 10_240;

export const READ_ACTIONS = ["s3:GetObject"] as const;
export const LIST_ACTIONS = ["s3:ListBucket"] as const;
export const WRITE_ACTIONS = ["s3:AbortMultipartUpload", "s3:PutObject"] as const;

export function grantOf(readUris: readonly string[], writeUris: readonly string[] = []): S3Grant {
  return { read: locations(readUris), write: locations(writeUris) };
}

function locations(uris: readonly string[]): S3Location[] {
  const seen = new Map<string, S3Location>();
  for (const uri of uris) {
    const loc = parseS3Uri(uri);
    if (loc) seen.set(`${loc.bucket}/${loc.prefix}`, loc);
  }
  return [...seen.entries()].sort(([a], [b]) => cmp(a, b)).map(([, loc]) => loc);
}

export function isEmptyGrant(g: S3Grant): boolean {
  return g.read.length === 0 && g.write.length === 0;
}

/**
 * GetObject on each read prefix; ListBucket on each bucket, limited by s3:prefix to the same
 * prefixes (a model server lists its artifact folder; without the condition it could list the
 * whole bucket); PutObject (and aborting its multipart uploads) on each write prefix. A prefix of "" is the whole bucket.
 */
export function permissionPolicy(grant: S3Grant, partition: string): IamPolicy {
  const statements: IamStatement[] = [];
  if (grant.read.length > 0) {
    statements.push({ Sid: "ReadArtifacts", Effect: "Allow", Action: [...READ_ACTIONS], Resource: grant.read.map((l) => objectsArn(partition, l)) });
    const byBucket = new Map<string, string[]>();
    for (const l of grant.read) byBucket.set(l.bucket, [...(byBucket.get(l.bucket) ?? []), l.prefix]);
    [...byBucket.keys()].sort().forEach((bucket, i) => {
      const prefixes = [...new Set(byBucket.get(bucket)!)].sort();
      const statement: IamStatement = { Sid: `ListArtifacts${i + 1}`, Effect: "Allow", Action: [...LIST_ACTIONS], Resource: [bucketArn(partition, bucket)] };
      if (!prefixes.includes("")) statement.Condition = { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } };
      statements.push(statement);
    });
  }
  if (grant.write.length > 0)
    statements.push({ Sid: "WriteOutputs", Effect: "Allow", Action: [...WRITE_ACTIONS], Resource: grant.write.map((l) => objectsArn(partition, l)) });
  return { Version: "2012-10-17", Statement: statements };
}

/** The size IAM counts: the document without whitespace. */
export function policySize(policy: IamPolicy): number {
  return JSON.stringify(policy).length;
}
