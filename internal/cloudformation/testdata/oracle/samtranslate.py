"""Translate a SAM template to the CloudFormation AWS would deploy, offline.

Usage: python3 samtranslate.py TEMPLATE [KEY=VALUE ...] > generated.json

It drives the preinstalled aws-sam-translator (samtranslator) the way the
AWS::Serverless transform does, without AWS credentials: the region is fixed
to us-east-1 (partition aws), the managed-policy map is the translator's
bundled one, and local CodeUri/ContentUri paths are pointed at S3 first, as
`sam package` would. Used by the differential test in oracle_test.go.
"""
import datetime
import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

from samtranslator.translator.arn_generator import ArnGenerator  # noqa: E402
from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader  # noqa: E402
from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

BUCKET = "s3://lambdawarden-oracle/"


class OfflinePolicies(ManagedPolicyLoader):
    """A managed-policy loader that never calls IAM."""

    def __init__(self):
        super().__init__(None)

    def load(self):
        return {}


def package_locally(template):
    """Point local code paths at S3, as `sam package` does."""

    def fix(props, key):
        value = props.get(key) if isinstance(props, dict) else None
        if isinstance(value, str) and not value.startswith("s3://"):
            props[key] = BUCKET + value.strip("./")

    globals_fn = (template.get("Globals") or {}).get("Function") or {}
    fix(globals_fn, "CodeUri")
    for res in (template.get("Resources") or {}).values():
        if not isinstance(res, dict):
            continue
        props = res.setdefault("Properties", {}) or {}
        if res.get("Type") == "AWS::Serverless::Function":
            if "InlineCode" in props or "ImageUri" in props:
                continue
            if "CodeUri" not in props and "CodeUri" not in globals_fn:
                props["CodeUri"] = BUCKET + "code"
            fix(props, "CodeUri")
        elif res.get("Type") == "AWS::Serverless::LayerVersion":
            fix(props, "ContentUri")


def stringify_dates(node):
    """YAML dates (an unquoted 2027-06-30) are strings to CloudFormation."""
    if isinstance(node, dict):
        return {k: stringify_dates(v) for k, v in node.items()}
    if isinstance(node, list):
        return [stringify_dates(v) for v in node]
    if isinstance(node, (datetime.date, datetime.datetime)):
        return node.isoformat()
    return node


def main():
    ArnGenerator.BOTO_SESSION_REGION_NAME = "us-east-1"
    with open(sys.argv[1], encoding="utf-8") as f:
        template = stringify_dates(yaml_parse(f.read()))
    package_locally(template)
    params = dict(arg.split("=", 1) for arg in sys.argv[2:])
    out = transform(template, params, OfflinePolicies())
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
