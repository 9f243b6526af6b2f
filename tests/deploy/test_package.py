"""`aws cloudformation package` uploads the handler's code, and only that."""

from __future__ import annotations

import io
import zipfile

from tests.deploy.conftest import ARTIFACT_BUCKET
from tests.templates import resources_of_type

# What the function needs at run time; Powertools comes from the layer, boto3 from
# the runtime. requirements.txt ships as the record of what the code was tested with.
SHIPPED = {"app.py", "items.py", "store.py", "requirements.txt"}


def _code_location(packaged):
    (function,) = resources_of_type(packaged, "AWS::Serverless::Function").values()
    uri = function["Properties"]["CodeUri"]
    assert uri.startswith(f"s3://{ARTIFACT_BUCKET}/"), uri
    return uri.removeprefix(f"s3://{ARTIFACT_BUCKET}/")


def test_packaged_function_points_at_the_uploaded_object(packaged, client):
    key = _code_location(packaged)
    head = client("s3").head_object(Bucket=ARTIFACT_BUCKET, Key=key)
    assert head["ContentLength"] > 0


def test_zip_holds_the_handler_at_its_root_and_nothing_else(packaged, client):
    body = client("s3").get_object(Bucket=ARTIFACT_BUCKET, Key=_code_location(packaged))["Body"].read()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = set(archive.namelist())
        assert archive.testzip() is None
        app = archive.read("app.py").decode()
    assert names == SHIPPED, f"unexpected: {sorted(names - SHIPPED)}, missing: {sorted(SHIPPED - names)}"
    assert "def lambda_handler" in app


def test_package_leaves_everything_else_unchanged(packaged):
    from samtranslator.yaml_helper import yaml_parse

    import tapgen

    original = yaml_parse(tapgen.render())
    for resource in resources_of_type(packaged, "AWS::Serverless::Function").values():
        resource["Properties"]["CodeUri"] = "../handler"
    assert packaged == original
