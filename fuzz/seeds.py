#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/ from the test fixtures (tests/fixtures) and the
test key (the same deterministic P-256 key as tests/common `TestKey::new(1)`, pinned in every
fuzz target). Reproducible: ES256 signatures are deterministic (RFC 6979).

Run from anywhere: python3 fuzz/seeds.py   (needs python3-cryptography >= 43)
"""
import base64
import json
import pathlib
import shutil

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

FUZZ = pathlib.Path(__file__).resolve().parent
FIXTURES = FUZZ.parent / "tests" / "fixtures"
CORPUS = FUZZ / "corpus"

# The shared test identities, from the one file every test suite reads.
IDS = dict(
    line.split("=", 1)
    for line in (FIXTURES / "ids.properties").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)
ALB = IDS["alb"]
ALB_OTHER = IDS["alb_other"]
ISSUER = IDS["issuer"]
CLIENT = IDS["client"]
KID = IDS["kid"]
NOW = int(IDS["now"])

KEY = ec.derive_private_key((0x42 << 248) | 1, ec.SECP256R1())
PEM = KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
).decode()


def b64(data: bytes, padded: bool) -> str:
    s = base64.urlsafe_b64encode(data).decode()
    return s if padded else s.rstrip("=")


def sign(msg: bytes) -> bytes:
    der = KEY.sign(msg, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def header(**changes) -> dict:
    h = {"typ": "JWT", "kid": KID, "alg": "ES256", "iss": ISSUER, "client": CLIENT,
         "signer": ALB, "exp": NOW + 120}
    for k, v in changes.items():
        if v is None:
            h.pop(k, None)
        else:
            h[k] = v
    return h


def claims(**changes) -> dict:
    c = {"sub": "a1b2c3d4-0000-4000-8000-000000000001", "email": "Jane.Doe@Example.com",
         "email_verified": "true", "name": "Jane Doe", "exp": NOW + 120, "iss": ISSUER,
         "cognito:groups": ["jira-users", "jira-admins"]}
    c.update(changes)
    return c


def token(h, c, padded=True) -> str:
    raw_h = h if isinstance(h, str) else json.dumps(h, separators=(",", ":"))
    raw_c = c if isinstance(c, str) else json.dumps(c, separators=(",", ":"))
    signing_input = f"{b64(raw_h.encode(), padded)}.{b64(raw_c.encode(), padded)}"
    return f"{signing_input}.{b64(sign(signing_input.encode()), padded)}"


def write(target: str, name: str, data) -> None:
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def main() -> None:
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    good = token(header(), claims())
    tokens = {
        "padded": good,
        "unpadded": token(header(), claims(), padded=False),
        "alg-none": token(header(alg="none"), claims()),
        "other-signer": token(header(signer=ALB_OTHER), claims()),
        "expired": token(header(exp=NOW - 3600), claims(exp=NOW - 3600)),
        "dup-signer": token('{"alg":"ES256","kid":"%s","signer":"%s","signer":"%s","exp":%d}'
                            % (KID, ALB_OTHER, ALB, NOW + 120), claims()),
        "dup-claim": token(header(), '{"sub":"a","sub":"b","email":"a@b.c"}'),
        "no-sub": token(header(), {"email": "x@y.z"}),
        "kid-traversal": token(header(kid="../../etc/passwd"), claims()),
    }

    for name, t in tokens.items():
        write("token_decode", name, t)
    write("token_decode", "header-json", json.dumps(header()))
    write("token_decode", "claims-json", json.dumps(claims()))
    write("token_decode", "short-padded", "eyJh==.eyJi=.c2ln")

    for name, t in tokens.items():
        write("verify_headers", name, f"x-amzn-oidc-data: {t}\n")
    write("verify_headers", "with-identity",
          f"x-amzn-oidc-data: {good}\nx-amzn-oidc-identity: a1b2c3d4-0000-4000-8000-000000000001\n")
    write("verify_headers", "identity-mismatch",
          f"X-Amzn-Oidc-Data: {good}\nx-amzn-oidc-identity: admin\n")
    write("verify_headers", "two-data-headers",
          f"x-amzn-oidc-data: {good}\nx-amzn-oidc-data: {good}\n")
    write("verify_headers", "anonymous", "host: jira.example.com\ncookie: a=b\n")

    pinned = {KID: PEM}
    base = {"trusted_albs": [ALB], "issuer": ISSUER, "client_id": CLIENT, "template": "cognito"}
    configs = {
        "pinned": {**base, "pinned_keys": pinned},
        "key-url": {**base, "key_url": "http://127.0.0.1:8080/{kid}", "key_cache_size": 8,
                    "token_cache_size": 0, "key_fetch_timeout_ms": 500,
                    "key_fetch_max_per_minute": 10, "key_fetch_backoff_secs": 5},
        "opt-out": {**base, "issuer": None, "client_id": None, "clock_skew_secs": 300},
        "transforms": {**base, "username_claim": "email", "groups_claim": "cognito:groups",
                       "username_transforms": ["strip_domain", "lowercase",
                                               {"regex": "^(\\w+)\\.(\\w+)$", "replace": "${2}_$1"}]},
        "azure": {"trusted_albs": [ALB], "template": "azure", "client_id": CLIENT,
                  "issuer": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"},
        "access-token": {**base, "token_header": "x-amzn-oidc-accesstoken",
                         "access_token_jwks_url": "https://idp.example.com/jwks?x=1",
                         "access_token_issuer": ["https://idp.example.com"],
                         "access_token_audience": "api://jira",
                         "access_token_refresh_secs": 30},
        "allowed-domains": {**base, "template": "google", "allowed_domains": ["example.com"],
                            "username_transforms": ["strip_domain"]},
        "govcloud": {**base, "trusted_albs": [
            "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/a/0123456789abcdef"]},
    }
    for name, c in configs.items():
        write("config_json", name, json.dumps(c, indent=1))

    for pem in sorted(FIXTURES.glob("*.pem")):
        if pem.name.startswith("access-token-"):
            continue  # RSA private keys: a key endpoint never serves those
        write("key_pem", pem.name, pem.read_bytes())
    write("key_pem", "pinned-key.pem", PEM)

    for jwks in sorted(FIXTURES.glob("jwks-*.json")):
        write("jwks", jwks.name, jwks.read_bytes())
    write("jwks", "ec-only", json.dumps({"keys": [{"kty": "EC", "crv": "P-256", "kid": "e",
                                                    "x": "AA", "y": "AA"}]}))

    transforms = {
        "swap": ("^(\\w+)\\.(\\w+)$", "${2}_$1", "jane.doe"),
        "domain": ("@.*$", "", "jane@example.com"),
        "windows": ("^[^\\\\]+\\\\", "", "CORP\\jane"),
        "unicode": ("(?i)straße", "strasse", "STRASSE-Straße"),
        "repeat": ("(a+)+$", "x", "a" * 64 + "!"),
    }
    for name, (regex, replace, user) in transforms.items():
        write("username_transform", name, f"{regex}\n{replace}\n{user}")

    # Structured (arbitrary) input: any bytes decode to some input; a few fixed seeds.
    write("verify_signed", "zeros", bytes(64))
    write("verify_signed", "ones", bytes([1] * 256))
    write("verify_signed", "ramp", bytes(range(256)))

    # The C ABI target: an options byte (bit 0: NULL err; the rest: explain buffer size / 2),
    # then NUL-separated header name/value pairs.
    data = b"x-amzn-oidc-data\x00" + good.encode()
    write("c_abi", "padded", b"\x00" + data)
    write("c_abi", "invalid-utf8", b"\x78" + data[:40] + b"\xff\xfe" + data[40:])
    write("c_abi", "with-identity", b"\x41" + data
          + b"\x00x-amzn-oidc-identity\x00a1b2c3d4-0000-4000-8000-000000000001")
    write("c_abi", "anonymous", b"\x10host\x00jira.example.com")

    # The net header parsers: NUL-separated header values (Link, Retry-After, HTTP-dates; the
    # target also reads them as retry-after / x-rate-limit-reset / date / link in turn).
    write("net_headers", "okta-links",
          b'<https://acme.okta.com/api/v1/users?limit=200>; rel="self"\x00'
          b'<https://acme.okta.com/api/v1/users?after=00u&limit=200>; rel="next"')
    write("net_headers", "retry-after-secs", "120")
    write("net_headers", "retry-after-date", "Sun, 06 Nov 1994 08:49:37 GMT")
    write("net_headers", "okta-reset",
          b'\x00784111789\x00Sun, 06 Nov 1994 08:49:37 GMT\x00'
          b'<a>; rel="prev"; title="x, \\"y\\"", <b>; REL=next')
    write("net_headers", "obsolete-dates",
          b"Sunday, 06-Nov-94 08:49:37 GMT\x00Sun Nov  6 08:49:37 1994")


if __name__ == "__main__":
    main()
