//! Known AWS regions per partition (pure data).
//!
//! Source: the AWS SDK's partition table, `packages/util-endpoints/src/lib/aws/partitions.json`
//! in aws/aws-sdk-js-v3 (read in 2025, at commit 685ff5d0; it already lists `mx-central-1` and
//! `ap-southeast-7`, both opened in January 2025). New regions appear: an ALB in a commercial
//! region missing here is only warned about. In GovCloud and China the default key URL is used
//! only for the regions listed here: the GovCloud default is an S3 bucket named after the
//! region, and a mistyped region would name a bucket that anyone could create.

/// The `aws` partition.
pub(crate) const COMMERCIAL: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// The `aws-us-gov` partition.
pub(crate) const GOVCLOUD: &[&str] = &["us-gov-east-1", "us-gov-west-1"];

/// The `aws-cn` partition.
pub(crate) const CHINA: &[&str] = &["cn-north-1", "cn-northwest-1"];

/// Whether `region` is a known region of `partition`.
pub(crate) fn is_known(partition: &str, region: &str) -> bool {
    let list = match partition {
        "aws-us-gov" => GOVCLOUD,
        "aws-cn" => CHINA,
        _ => COMMERCIAL,
    };
    list.contains(&region)
}
