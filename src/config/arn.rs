//! Trusted ALB ARNs: parsed and validated, with the partition and region they name.

/// A trusted ALB, parsed from its ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlbArn {
    /// The ARN exactly as configured (compared byte for byte with `signer`).
    pub arn: String,
    /// `aws`, `aws-cn` or `aws-us-gov`.
    pub partition: String,
    /// e.g. `eu-west-1`.
    pub region: String,
}

impl AlbArn {
    /// Parses `arn:{partition}:elasticloadbalancing:{region}:{account}:loadbalancer/app/{name}/{id}`.
    pub fn parse(arn: &str) -> std::result::Result<AlbArn, String> {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        if parts.len() != 6 || parts[0] != "arn" {
            return Err("is not an ARN (arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID)".into());
        }
        let (partition, service, region, account, resource) =
            (parts[1], parts[2], parts[3], parts[4], parts[5]);
        if !matches!(partition, "aws" | "aws-cn" | "aws-us-gov") {
            return Err(format!(
                "partition `{partition}` is not aws, aws-cn or aws-us-gov"
            ));
        }
        if service != "elasticloadbalancing" {
            return Err("service is not elasticloadbalancing".into());
        }
        if !valid_region(region) {
            return Err(format!("region `{region}` is not a region name"));
        }
        let region_ok = match partition {
            "aws-cn" => region.starts_with("cn-"),
            "aws-us-gov" => region.starts_with("us-gov-"),
            _ => !region.starts_with("cn-") && !region.starts_with("us-gov-"),
        };
        if !region_ok {
            return Err(format!(
                "region `{region}` is not in partition `{partition}`"
            ));
        }
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err("account is not 12 digits".into());
        }
        let segs: Vec<&str> = resource.split('/').collect();
        let ok = segs.len() == 4
            && segs[0] == "loadbalancer"
            && segs[1] == "app"
            && !segs[2].is_empty()
            && segs[2]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !segs[3].is_empty()
            && segs[3].bytes().all(|b| b.is_ascii_hexdigit());
        if !ok {
            return Err(
                "resource is not loadbalancer/app/NAME/ID (an Application Load Balancer)".into(),
            );
        }
        Ok(AlbArn {
            arn: arn.to_string(),
            partition: partition.to_string(),
            region: region.to_string(),
        })
    }

    /// The AWS key endpoint template for this ALB's partition (with `{region}` and `{kid}`).
    pub fn default_key_url(&self) -> &'static str {
        match self.partition.as_str() {
            "aws-us-gov" => {
                "https://s3-{region}.amazonaws.com/aws-elb-public-keys-prod-{region}/{kid}"
            }
            "aws-cn" => "https://public-keys.auth.elb.{region}.amazonaws.com.cn/{kid}",
            _ => "https://public-keys.auth.elb.{region}.amazonaws.com/{kid}",
        }
    }
}

fn valid_region(r: &str) -> bool {
    // e.g. us-east-1, us-gov-west-1, cn-north-1, ap-southeast-2, eu-central-2
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts.len() <= 4
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
        && parts[parts.len() - 1].len() <= 2
}
