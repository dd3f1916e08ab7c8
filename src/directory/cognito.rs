//! Amazon Cognito user pools: SigV4-signed AWS JSON 1.1 POSTs to the endpoint
//! (`X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`): `ListUsers` (with `Filter` for a
//! lookup, `PaginationToken` paging), `AdminGetUser` (a lookup by username),
//! `ListGroups`/`ListUsersInGroup`/`AdminListGroupsForUser` (`NextToken` paging). Cognito
//! throttles with a 400 `TooManyRequestsException` (the retrier waits); its 400 JSON errors
//! (`UnrecognizedClientException`, `InvalidSignatureException`, `NotAuthorizedException`,
//! `AccessDeniedException`, `ResourceNotFoundException`) and moto's 403 XML are connector
//! errors of the matching kind. Groups do not nest.

use serde_json::{json, Value};

use super::config::{Connector, ConnectorConfig, ConnectorKind};
use super::connector::{
    all_items, host_of, json_of, quoted, retrier, str_field, Api, ConnectOptions, DirectoryError,
    DirectoryErrorKind, PageOf, Service,
};
use crate::net::http::{HttpClient, NetError, Request, Response};
use crate::net::oauth::Secret;
use crate::net::retry::{cognito_throttle, Clock, Retrier};
use crate::net::sigv4::{sign, Credentials};

const SERVICE: Service = Service {
    name: "cognito",
    permissions: "the IAM actions cognito-idp:ListUsers, cognito-idp:AdminGetUser, cognito-idp:ListGroups, cognito-idp:ListUsersInGroup and cognito-idp:AdminListGroupsForUser on the user pool",
    classify: Some(classify),
};

/// The AWS error type of a response: JSON `__type` (maybe `prefix#Type`), or the `<Code>` of
/// an XML error (moto, and AWS's own front door).
pub fn error_type(resp: &Response) -> Option<String> {
    if let Ok(v) = resp.json() {
        if let Some(t) = v.get("__type").and_then(Value::as_str) {
            return Some(t.rsplit('#').next().unwrap_or(t).to_string());
        }
    }
    let body = std::str::from_utf8(&resp.body).ok()?;
    let start = body.find("<Code>")? + "<Code>".len();
    let end = body[start..].find("</Code>")? + start;
    Some(body[start..end].trim().to_string())
}

fn classify(e: &NetError) -> Option<DirectoryErrorKind> {
    let resp = e.response()?;
    let t = error_type(resp)?;
    Some(match t.as_str() {
        "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "NotAuthorizedException"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "IncompleteSignature"
        | "MissingAuthenticationToken"
        | "ExpiredTokenException" => DirectoryErrorKind::Auth,
        "AccessDeniedException" | "AccessDenied" => DirectoryErrorKind::Permission,
        "ResourceNotFoundException" => DirectoryErrorKind::NotFound,
        _ => return None,
    })
}

pub(crate) struct Cognito {
    http: HttpClient,
    retry: Retrier,
    creds: Credentials,
    region: String,
    pool: String,
    endpoint: String,
    clock: std::sync::Arc<dyn Clock>,
}

impl Cognito {
    pub(crate) fn new(config: &ConnectorConfig, options: &ConnectOptions) -> Cognito {
        let Connector::Cognito {
            region,
            user_pool_id,
            access_key_id,
            secret_access_key,
            endpoint_url,
        } = &config.connector
        else {
            unreachable!("Cognito::new is called for a cognito connector")
        };
        Cognito {
            http: options.http.clone(),
            retry: retrier(options, cognito_throttle),
            creds: Credentials {
                access_key_id: access_key_id.clone(),
                secret_access_key: Secret::new(secret_access_key.expose()),
                session_token: None,
            },
            region: region.clone(),
            pool: user_pool_id.clone(),
            endpoint: format!("{}/", endpoint_url.trim_end_matches('/')),
            clock: options.clock.clone(),
        }
    }

    fn request(&self, op: &str, body: Value) -> Request {
        Request::post(
            &self.endpoint,
            "application/x-amz-json-1.1",
            body.to_string(),
        )
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        )
    }

    fn send(&self, req: &Request) -> Result<Response, NetError> {
        self.retry.run(|| {
            let mut r = req.clone();
            sign(
                &mut r,
                &self.creds,
                &self.region,
                "cognito-idp",
                self.clock.now(),
            )?;
            self.http.send(&r)
        })
    }

    fn list(
        &self,
        step: &str,
        op: &str,
        body: Value,
        what: PageOf,
        pages: &mut usize,
    ) -> Result<Vec<Value>, DirectoryError> {
        all_items(
            &SERVICE,
            step,
            self.request(op, body),
            (ConnectorKind::Cognito, what),
            pages,
            |r| self.send(r),
        )
    }

    fn list_users(
        &self,
        filter: Option<String>,
        pages: &mut usize,
    ) -> Result<Vec<Value>, DirectoryError> {
        let mut body = json!({"UserPoolId": self.pool, "Limit": 60});
        if let Some(f) = filter {
            body["Filter"] = Value::String(f);
        }
        self.list("users", "ListUsers", body, PageOf::Users, pages)
    }
}

/// The value of Cognito attribute `name` (`Attributes` or `UserAttributes`).
fn attribute(user: &Value, name: &str) -> Option<String> {
    let list = user
        .get("Attributes")
        .or_else(|| user.get("UserAttributes"))?
        .as_array()?;
    list.iter()
        .find(|a| a.get("Name").and_then(Value::as_str) == Some(name))
        .and_then(|a| a.get("Value"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

impl Api for Cognito {
    fn retrier(&self) -> &Retrier {
        &self.retry
    }

    fn find(
        &self,
        attribute: &str,
        value: &str,
        pages: &mut usize,
    ) -> Result<Vec<Value>, DirectoryError> {
        if attribute == "username" {
            let body = json!({"UserPoolId": self.pool, "Username": value});
            let req = self.request("AdminGetUser", body);
            *pages += 1;
            let resp = self.send(&req);
            // An unknown user is a 400 `UserNotFoundException`.
            if let Ok(r) = &resp {
                if error_type(r).as_deref() == Some("UserNotFoundException") {
                    return Ok(vec![]);
                }
            }
            return Ok(json_of(
                &SERVICE,
                "user lookup",
                &host_of(&self.endpoint),
                resp,
                false,
            )?
            .into_iter()
            .collect());
        }
        // The filter is exact and case-sensitive: ask as given, then lowercased (Cognito
        // users usually sign up with lowercased addresses).
        let mut found = self.list_users(Some(format!("{attribute} = {}", quoted(value))), pages)?;
        let lower = value.to_lowercase();
        if found.is_empty() && lower != value {
            found = self.list_users(Some(format!("{attribute} = {}", quoted(&lower))), pages)?;
        }
        Ok(found)
    }

    fn attribute_of(&self, attr: &str, user: &Value) -> Option<String> {
        Some(attribute(user, attr).unwrap_or_default())
    }

    fn user_groups(&self, user: &Value, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        let name = str_field(user, "Username")
            .ok_or_else(|| SERVICE.bad("user lookup", "`Username` is missing"))?;
        let body = json!({"UserPoolId": self.pool, "Username": name, "Limit": 60});
        self.list(
            "user groups",
            "AdminListGroupsForUser",
            body,
            PageOf::Groups,
            pages,
        )
    }

    fn users(&self, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        self.list_users(None, pages)
    }

    fn groups(&self, pages: &mut usize) -> Result<Vec<(String, Value)>, DirectoryError> {
        let body = json!({"UserPoolId": self.pool, "Limit": 60});
        let groups = self.list("groups", "ListGroups", body, PageOf::Groups, pages)?;
        groups
            .into_iter()
            .map(|g| {
                let id = str_field(&g, "GroupName")
                    .ok_or_else(|| SERVICE.bad("groups", "`GroupName` is missing"))?;
                Ok((id, g))
            })
            .collect()
    }

    fn members(&self, id: &str, pages: &mut usize) -> Result<Vec<Value>, DirectoryError> {
        let body = json!({"UserPoolId": self.pool, "GroupName": id, "Limit": 60});
        self.list(
            "group members",
            "ListUsersInGroup",
            body,
            PageOf::Members,
            pages,
        )
    }

    fn member_key(&self, user: &Value) -> Option<String> {
        str_field(user, "Username")
    }
}
