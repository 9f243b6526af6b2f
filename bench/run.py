"""Benchmark tapgen's render and the handler; print a table and write JSON.

    python bench/run.py            # full run (a few minutes)
    python bench/run.py --quick    # a smoke run: same code paths, few repetitions

Measures, in one run so ratios compare like with like:
- a cold `python -m tapgen render` process against `python -c "import troposphere"`,
  alternating, median and spread after a warm-up;
- in-process build + render per call, and per-copy cost for 1, 10 and 50 composed
  copies of the stack in one template;
- the handler's cold init against a floor process (boto3 client + the Powertools
  imports it uses), alternating; its warm latency per request against moto's
  DynamoDB on 127.0.0.1, with and without the time spent inside DynamoDB calls;
- the zip `aws cloudformation package` uploads.
Standard library plus the project's own dependencies (moto and the AWS CLI come
with the test extras). Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The benchmark drives the handler with the test suite's own helpers (events, ports).
sys.path.insert(0, str(ROOT))
HANDLER_DIR = ROOT / "handler"
PYTHON = sys.executable
REGION = "us-east-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": REGION}
FLOOR_HANDLER = (
    "import boto3; from botocore.config import Config; "
    "boto3.client('dynamodb', config=Config(connect_timeout=1, read_timeout=2)); "
    "from aws_lambda_powertools import Logger, Metrics, Tracer; "
    "from aws_lambda_powertools.event_handler import APIGatewayRestResolver"
)
# Any handler that uses Powertools' Tracer creates one, and creating one loads the
# X-Ray SDK (even with tracing disabled); this floor includes that.
FLOOR_WITH_TRACER = FLOOR_HANDLER + "; Tracer()"


def _summary(samples: list[float], scale: float = 1000.0) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median": round(statistics.median(ordered) * scale, 3),
        "p10": round(ordered[int(0.1 * (len(ordered) - 1))] * scale, 3),
        "p90": round(ordered[int(0.9 * (len(ordered) - 1))] * scale, 3),
        "min": round(ordered[0] * scale, 3),
        "max": round(ordered[-1] * scale, 3),
        "n": len(ordered),
    }


def alternating(
    commands: dict[str, list[str]], runs: int, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run each command ``runs`` times, alternating, after one warm-up each; seconds -> ms."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=env, cwd=ROOT)
    for _ in range(runs):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=env, cwd=ROOT)
            times[name].append(time.perf_counter() - started)
    return {name: _summary(samples) for name, samples in times.items()}


def bench_cold_render(runs: int) -> dict[str, Any]:
    result = alternating(
        {
            "import_troposphere": [PYTHON, "-c", "import troposphere"],
            "tapgen_render": [PYTHON, "-m", "tapgen", "render"],
        },
        runs,
    )
    result["ratio"] = round(result["tapgen_render"]["median"] / result["import_troposphere"]["median"], 3)
    return result


def _per_call(function: Callable[[], object], calls: int) -> dict[str, float]:
    function()
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return _summary(samples)


@contextlib.contextmanager
def beyond_cloudformation_limits() -> Iterator[None]:
    """Lift troposphere's copies of CloudFormation's 500-resource / 200-output limits.

    50 copies of the stack (~1,400 resources) is no deployable template; it measures
    how the render scales, which is what the synthetic template is for.
    """
    import troposphere

    saved = troposphere.MAX_RESOURCES, troposphere.MAX_OUTPUTS
    troposphere.MAX_RESOURCES = troposphere.MAX_OUTPUTS = 1_000_000
    try:
        yield
    finally:
        troposphere.MAX_RESOURCES, troposphere.MAX_OUTPUTS = saved


def composed(copies: int) -> Any:
    """A template holding ``copies`` copies of the stack: TapStack, then more copies of
    every group (under their own names) sharing its parameters and account setting."""
    import tapgen
    from tapgen.iam import IamRefs

    config = tapgen.StackConfig()
    template = tapgen.new_template()
    stack = tapgen.add_tapstack(template, config)
    for index in range(1, copies):
        naming = tapgen.Naming(f"C{index}")
        data = tapgen.add_data(
            template, config, params=stack.params, encryption=stack.encryption, naming=naming
        )
        iam = IamRefs(
            function_role_arn=tapgen.add_function_role(
                template, data=data, encryption=stack.encryption, naming=naming
            ),
            delivery_role_arn=tapgen.add_access_log_delivery_role(
                template, encryption=stack.encryption, naming=naming
            ),
            api_gateway_account=stack.iam.api_gateway_account,
        )
        logs = tapgen.add_access_logs(
            template, config, params=stack.params, iam=iam, encryption=stack.encryption, naming=naming
        )
        api = tapgen.add_api(
            template,
            config,
            params=stack.params,
            iam=iam,
            access_logs=logs,
            encryption=stack.encryption,
            naming=naming,
        )
        alarms = tapgen.add_alarms(template, config, params=stack.params, api=api, naming=naming)
        function = tapgen.add_function(
            template,
            config,
            params=stack.params,
            data=data,
            role_arn=iam.function_role_arn,
            api=api,
            alarms=alarms,
            encryption=stack.encryption,
            naming=naming,
        )
        tapgen.add_outputs(
            template,
            config,
            params=stack.params,
            data=data,
            access_logs=logs,
            api=api,
            alarms=alarms,
            function=function,
            naming=naming,
        )
    return template


def _render_copies(count: int) -> str:
    import tapgen

    return tapgen.render_template(composed(count))  # build (outside the GC pause) and render


def bench_in_process(calls: int, copies: list[int]) -> dict[str, Any]:
    import tapgen

    result: dict[str, Any] = {"render_default": _per_call(tapgen.render, calls)}
    scaling = {}
    with beyond_cloudformation_limits():
        for count in copies:
            repeat = max(3, calls // count)
            timing = _per_call(partial(_render_copies, count), repeat)
            scaling[str(count)] = {
                "resources": len(composed(count).resources),
                "per_call_ms": timing["median"],
                "per_copy_ms": round(timing["median"] / count, 3),
            }
    result["scaling"] = scaling
    first, last = scaling[str(copies[0])], scaling[str(copies[-1])]
    result["per_copy_ratio_last_to_first"] = round(last["per_copy_ms"] / first["per_copy_ms"], 3)
    return result


def _handler_env(endpoint: str, table: str) -> dict[str, str]:
    return {
        **os.environ,
        **CREDENTIALS,
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
        "TABLE_NAME": table,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "bench",
        "POWERTOOLS_METRICS_NAMESPACE": "bench",
        "PYTHONPATH": str(HANDLER_DIR),
        # Lambda's code folder is read-only: the handler's modules compile at every
        # cold start, and no __pycache__ may land in handler/ (it would be packaged).
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def bench_handler_cold(runs: int, endpoint: str, table: str) -> dict[str, Any]:
    env = _handler_env(endpoint, table)
    result = alternating(
        {
            "floor": [PYTHON, "-c", FLOOR_HANDLER],
            "floor_with_tracer": [PYTHON, "-c", FLOOR_WITH_TRACER],
            "handler": [PYTHON, "-c", "import app"],
        },
        runs,
        env,
    )
    result["ratio"] = round(result["handler"]["median"] / result["floor"]["median"], 3)
    result["ratio_to_floor_with_tracer"] = round(
        result["handler"]["median"] / result["floor_with_tracer"]["median"], 3
    )
    return result


def create_table(endpoint: str) -> str:
    """A table made from the rendered template's own table definition."""
    import boto3
    from samtranslator.yaml_helper import yaml_parse

    import tapgen
    from tests.handler.conftest import table_definition

    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION, **_credential_args())
    name = "bench-items"
    client.create_table(TableName=name, **table_definition(yaml_parse(tapgen.render())))
    return name


def _credential_args() -> dict[str, str]:
    return {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}


def bench_handler_warm(requests: int, endpoint: str, table: str) -> dict[str, Any]:
    """Per-request latency in process, total and without the time inside DynamoDB calls."""
    os.environ.update({k: v for k, v in _handler_env(endpoint, table).items() if k != "PYTHONPATH"})
    sys.path.insert(0, str(HANDLER_DIR))
    sys.dont_write_bytecode = True
    import app  # the handler, configured by the environment above

    from tests.handler.events import LambdaContext, rest_event

    in_dynamodb = [0.0]
    started_at = [0.0]

    def before(**_: Any) -> None:
        started_at[0] = time.perf_counter()

    def after(**_: Any) -> None:
        in_dynamodb[0] += time.perf_counter() - started_at[0]

    events = app.store._client.meta.events
    events.register("before-call.dynamodb", before)
    events.register("after-call.dynamodb", after)
    context = LambdaContext()
    sink = io.StringIO()

    def invoke(event: dict[str, Any]) -> tuple[dict[str, Any], float, float]:
        in_dynamodb[0] = 0.0
        with contextlib.redirect_stdout(sink):  # the EMF metrics line Lambda would ship
            begun = time.perf_counter()
            response = app.lambda_handler(event, context)
            total = time.perf_counter() - begun
        sink.seek(0)
        sink.truncate()
        return response, total, total - in_dynamodb[0]

    for index in range(30):  # a page of 25 to list, and warm-up
        invoke(rest_event("POST", "/data", body={"n": index}))
    created = [invoke(rest_event("POST", "/data", body={"n": 1}))[0] for _ in range(5)]
    item_id = json.loads(created[0]["body"])["id"]
    cases: dict[str, Callable[[int], dict[str, Any]]] = {
        "POST /data": lambda i: rest_event(
            "POST", "/data", body={"name": "widget", "n": i, "tags": ["a", "b"]}
        ),
        "GET /data/{id}": lambda i: rest_event("GET", f"/data/{item_id}"),
        "PUT /data/{id}": lambda i: rest_event("PUT", f"/data/{item_id}", body={"n": i}),
        "GET /data (25 items)": lambda i: rest_event("GET", "/data", query={"limit": "25"}),
    }
    result = {}
    for name, make in cases.items():
        totals, own = [], []
        for index in range(requests):
            response, total, overhead = invoke(make(index))
            assert response["statusCode"] in (200, 201), response
            totals.append(total)
            own.append(overhead)
        result[name] = {"total": _percentiles(totals), "handler_only": _percentiles(own)}
    return result


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": round(statistics.median(ordered) * 1000, 3),
        "p99": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 3),
        "n": len(ordered),
    }


def bench_package(endpoint: str) -> dict[str, Any]:
    """Run `aws cloudformation package` against the local S3 and measure the uploaded zip."""
    import boto3

    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **_credential_args())
    s3.create_bucket(Bucket="bench-artifacts")
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "packaged.yml"
        subprocess.run(
            [
                str(Path(PYTHON).with_name("aws")),
                "cloudformation",
                "package",
                "--template-file",
                "templates/TapStack.yml",
                "--s3-bucket",
                "bench-artifacts",
                "--output-template-file",
                str(output),
            ],
            check=True,
            cwd=ROOT,
            capture_output=True,
            env={**os.environ, **CREDENTIALS, "AWS_ENDPOINT_URL": endpoint},
        )
    (obj,) = s3.list_objects_v2(Bucket="bench-artifacts")["Contents"]
    body = s3.get_object(Bucket="bench-artifacts", Key=obj["Key"])["Body"].read()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        files = {info.filename: info.file_size for info in archive.infolist()}
    return {"zip_bytes": len(body), "files": files, "uncompressed_bytes": sum(files.values())}


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.machine(),
        "cpus": os.cpu_count(),
    }


def print_table(results: dict[str, Any]) -> None:
    cold, inproc, hcold = results["cold_render"], results["in_process"], results["handler_cold_init"]
    rows = [
        ("cold `python -m tapgen render`", f"{cold['tapgen_render']['median']:.1f} ms"),
        ('cold `python -c "import troposphere"`', f"{cold['import_troposphere']['median']:.1f} ms"),
        ("  ratio (target <= 1.25)", f"{cold['ratio']:.2f}x"),
        (
            "in-process render, default stack (target <= 10 ms)",
            f"{inproc['render_default']['median']:.2f} ms",
        ),
    ]
    rows += [
        (f"  {count} copies: {row['resources']} resources", f"{row['per_copy_ms']:.2f} ms per copy")
        for count, row in inproc["scaling"].items()
    ]
    rows.append(
        (
            "  per-copy cost, most / fewest copies (target <= 1.2)",
            f"{inproc['per_copy_ratio_last_to_first']:.2f}x",
        )
    )
    rows += [
        ("handler cold init", f"{hcold['handler']['median']:.1f} ms"),
        ("  floor (boto3 client + Powertools imports)", f"{hcold['floor']['median']:.1f} ms"),
        ("  ratio (target <= 1.2)", f"{hcold['ratio']:.2f}x"),
        ("  floor + creating Powertools' Tracer", f"{hcold['floor_with_tracer']['median']:.1f} ms"),
        ("  ratio to that floor", f"{hcold['ratio_to_floor_with_tracer']:.2f}x"),
    ]
    for name, row in results["handler_warm"].items():
        rows.append(
            (
                f"warm {name}",
                f"p50 {row['total']['p50']:.2f} / p99 {row['total']['p99']:.2f} ms; handler only "
                f"p50 {row['handler_only']['p50']:.3f} / p99 {row['handler_only']['p99']:.3f} ms",
            )
        )
    package = results["package"]
    rows.append(("deployment zip", f"{package['zip_bytes']} bytes ({', '.join(sorted(package['files']))})"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: checks that everything runs")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"), help="where to write JSON")
    args = parser.parse_args()
    runs, calls, requests = (2, 5, 5) if args.quick else (15, 200, 300)
    copies = [1, 2] if args.quick else [1, 10, 50]
    results: dict[str, Any] = {"machine": machine(), "quick": args.quick}
    results["cold_render"] = bench_cold_render(runs)
    results["in_process"] = bench_in_process(calls, copies)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    from tests.conftest import moto_server

    with moto_server() as endpoint:
        table = create_table(endpoint)
        results["package"] = bench_package(endpoint)
        results["handler_cold_init"] = bench_handler_cold(runs, endpoint, table)
        results["handler_warm"] = bench_handler_warm(requests, endpoint, table)
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"\nwritten: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
