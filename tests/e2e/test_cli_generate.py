"""``apigov generate gateway`` through the real CLI: output, --check, warnings, plug-ins, bad input."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from tests.e2e._cli import apigov, assert_input_error

pytestmark = pytest.mark.e2e

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: 1.0.0}
servers: [{url: "https://pets.example.com/v1"}]
paths:
  /pets:
    get: {operationId: listPets, responses: {"200": {description: ok}}}
  /pets/{petId}:
    get:
      operationId: getPet
      parameters: [{name: petId, in: path, required: true, schema: {type: integer}}]
      responses: {"200": {description: ok}}
"""


def project(tmp: Path, gateway: str, spec: str = SPEC) -> Path:
    (tmp / "pets.yaml").write_text(spec)
    (tmp / "apigov.yaml").write_text(
        "contracts:\n  - path: pets.yaml\n    subject: pets-api\n" + textwrap.dedent(gateway)
    )
    return tmp


GATEWAY = """\
gateway:
  listen: 127.0.0.1:8080
  services:
    pets:
      upstreams: [127.0.0.1:9001, 127.0.0.1:9002]
      timeout: 2s
"""


@pytest.mark.parametrize("target", ["nginx", "envoy"])
def test_generates_deterministically_and_check_passes(target: str, tmp_path: Path) -> None:
    root = project(tmp_path, GATEWAY)
    first = apigov("generate", "gateway", "--target", target, "-o", "out", cwd=root)
    assert first.returncode == 0, first.stderr
    files = sorted((root / "out").iterdir())
    texts = [f.read_text() for f in files]
    again = apigov("generate", "gateway", "--target", target, "-o", "out2", cwd=root)
    assert again.returncode == 0
    assert [f.read_text() for f in sorted((root / "out2").iterdir())] == texts
    assert all("2026" not in t and "2027" not in t for t in texts)  # no timestamps
    check = apigov("generate", "gateway", "--target", target, "-o", "out", "--check", cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "up to date" in check.stdout


def test_check_shows_structured_and_text_differences(tmp_path: Path) -> None:
    root = project(tmp_path, GATEWAY)
    for target in ("nginx", "envoy"):
        assert apigov("generate", "gateway", "-t", target, "-o", "out", cwd=root).returncode == 0
    envoy = root / "out" / "envoy.yaml"
    envoy.write_text(envoy.read_text().replace("timeout: 2s", "timeout: 3s"))
    nginx = root / "out" / "nginx.conf"
    nginx.write_text(nginx.read_text().replace("proxy_read_timeout 2s", "proxy_read_timeout 3s"))
    stale = apigov("generate", "gateway", "-t", "envoy", "-o", "out", "--check", cwd=root)
    assert stale.returncode == 1
    assert "the parsed configuration differs" in stale.stdout
    assert 'changed from "3s" to "2s"' in stale.stdout
    assert "stale" in stale.stderr
    stale = apigov("generate", "gateway", "-t", "nginx", "-o", "out", "--check", cwd=root)
    assert stale.returncode == 1
    assert "-            proxy_read_timeout 3s;" in stale.stdout
    assert "+            proxy_read_timeout 2s;" in stale.stdout
    (root / "out" / "nginx.conf").unlink()
    missing = apigov("generate", "gateway", "-t", "nginx", "-o", "out", "--check", cwd=root)
    assert missing.returncode == 1
    assert "missing: nginx.conf" in missing.stdout
    assert not (root / "out" / "nginx.conf").exists()  # --check writes nothing


def test_contracts_from_arguments_match_services_by_path(tmp_path: Path) -> None:
    root = project(tmp_path, GATEWAY.replace("timeout: 2s", "contract: pets.yaml"))
    (root / "apigov.yaml").write_text(
        (root / "apigov.yaml").read_text().replace("    subject: pets-api\n", "")
    )
    result = apigov("generate", "gateway", "-t", "envoy", "-o", "out", "pets.yaml", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "^/v1/pets/-?[0-9]+$" in (root / "out" / "envoy.yaml").read_text()


def test_warns_naming_target_policy_and_route(tmp_path: Path) -> None:
    gateway = GATEWAY + "      health-check: {path: /healthz}\n      cache: 30s\n"
    root = project(tmp_path, gateway)
    nginx = apigov("generate", "gateway", "-t", "nginx", "-o", "out", cwd=root)
    assert nginx.returncode == 0
    assert (
        "apigov: warning: nginx: service pets: health-check: open-source nginx has no active health checks"
        in nginx.stderr
    )
    assert ": cache:" not in nginx.stderr  # GET /v1/pets is public: cached, not warned
    envoy = apigov("generate", "gateway", "-t", "envoy", "-o", "out", cwd=root)
    assert envoy.returncode == 0
    assert (
        ": cache:" not in envoy.stderr
        and "envoy.filters.http.cache" in (root / "out" / "envoy.yaml").read_text()
    )
    assert "health-check" not in envoy.stderr  # Envoy checks actively


def test_the_shop_generates_for_every_target_without_errors(tmp_path: Path) -> None:
    for target in ("nginx", "envoy"):
        result = apigov("generate", "gateway", "-t", target, "-o", str(tmp_path / target), cwd=SHOP)
        assert result.returncode == 0, result.stderr


def test_a_third_party_target_is_found_through_its_entry_point(tmp_path: Path) -> None:
    plugin = tmp_path / "site"
    (plugin / "dummy_gateway-0.1.dist-info").mkdir(parents=True)
    (plugin / "dummy_gateway-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: dummy-gateway\nVersion: 0.1\n"
    )
    (plugin / "dummy_gateway-0.1.dist-info" / "entry_points.txt").write_text(
        "[apigov.generators]\ndummy = dummy_gateway:generator\n"
    )
    (plugin / "dummy_gateway.py").write_text(
        textwrap.dedent(
            """\
            from pathlib import PurePosixPath
            from generators.base import GeneratedFile, Output

            class Dummy:
                name = "dummy"
                kind = "gateway"
                description = "routes as a list"

                def generate(self, request):
                    paths = sorted(p for c in request.contracts for p in c.document.get("paths", {}))
                    text = "".join(f"{p}\\n" for p in paths)
                    return Output((GeneratedFile(PurePosixPath("routes.txt"), text),))

            generator = Dummy()
            """
        )
    )
    root = project(tmp_path, GATEWAY)
    result = apigov(
        "generate", "gateway", "-t", "dummy", "-o", "out", cwd=root, env={"PYTHONPATH": str(plugin)}
    )
    assert result.returncode == 0, result.stderr
    assert (root / "out" / "routes.txt").read_text() == "/pets\n/pets/{petId}\n"


# -- bad input: exit 2, one line, nothing written ------------------------------------------------


def test_unknown_target(tmp_path: Path) -> None:
    root = project(tmp_path, GATEWAY)
    result = apigov("generate", "gateway", "-t", "nginxx", "-o", "out", cwd=root)
    assert_input_error(result, "unknown gateway generator 'nginxx'", "envoy", "nginx")
    assert not (root / "out").exists()


def test_unknown_policy_key_is_named_with_its_line(tmp_path: Path) -> None:
    root = project(tmp_path, GATEWAY + "      timeuot: 3s\n")
    result = apigov("generate", "gateway", "-t", "nginx", "-o", "out", cwd=root)
    assert_input_error(result, "apigov.yaml:10:", "unknown key 'timeuot'")
    assert not (root / "out").exists()


def test_bad_policy_value_is_named_with_its_line(tmp_path: Path) -> None:
    root = project(tmp_path, GATEWAY.replace("timeout: 2s", "rate-limit: {requests: 5, per: fortnight}"))
    result = apigov("generate", "gateway", "-t", "envoy", "-o", "out", cwd=root)
    assert_input_error(result, "apigov.yaml:9:", "per must be one of")


def test_service_without_upstreams(tmp_path: Path) -> None:
    root = project(tmp_path, GATEWAY.replace("      upstreams: [127.0.0.1:9001, 127.0.0.1:9002]\n", ""))
    result = apigov("generate", "gateway", "-t", "envoy", "-o", "out", cwd=root)
    assert_input_error(result, "apigov.yaml:7:", "service 'pets' has no upstreams")
    assert not (root / "out").exists()


def test_contract_without_a_service(tmp_path: Path) -> None:
    root = project(tmp_path, GATEWAY.replace("    pets:", "    cats:"))
    result = apigov("generate", "gateway", "-t", "envoy", "-o", "out", cwd=root)
    assert_input_error(result, "pets.yaml", "no gateway service is bound to this contract")


def test_unknown_operation_in_settings(tmp_path: Path) -> None:
    root = project(tmp_path, GATEWAY + "      operations:\n        deletePet: {timeout: 1s}\n")
    result = apigov("generate", "gateway", "-t", "envoy", "-o", "out", cwd=root)
    assert_input_error(result, "apigov.yaml:11:", "unknown operation 'deletePet'")


@pytest.mark.parametrize(
    ("paths", "words"),
    [
        ("  /pets/{a}{b}:\n    get: {responses: {'200': {description: ok}}}\n", ["two path parameters"]),
        ("  /pets/a b:\n    get: {responses: {'200': {description: ok}}}\n", ["path character ' '"]),
        (
            "  /pets/{id}/x:\n    get: {responses: {'200': {description: ok}}}\n"
            "  /pets/{other}/x:\n    post: {responses: {'200': {description: ok}}}\n"
            "  /pets/{third}//x:\n    get: {responses: {'200': {description: ok}}}\n",
            ["empty segment"],
        ),
        (
            "  /pets/{id}:\n    delete: {responses: {'200': {description: ok}}}\n"
            "  /pets/{key}:\n    delete: {responses: {'200': {description: ok}}}\n",
            ["DELETE", "collides"],
        ),
        (
            "  /pets/x:\n    get: {x-apigov-timeuot: 3s, responses: {'200': {description: ok}}}\n",
            ["unknown extension 'x-apigov-timeuot'", "#/paths/~1pets~1x/get/x-apigov-timeuot"],
        ),
    ],
)
def test_unroutable_or_colliding_paths(tmp_path: Path, paths: str, words: list[str]) -> None:
    root = project(tmp_path, GATEWAY, spec=SPEC + paths)
    result = apigov("generate", "gateway", "-t", "nginx", "-o", "out", cwd=root)
    assert_input_error(result, *words)
    assert not (root / "out").exists()


def test_two_services_owning_one_path(tmp_path: Path) -> None:
    root = project(
        tmp_path, GATEWAY + "    cats:\n      contract: cats.yaml\n      upstreams: [127.0.0.1:9003]\n"
    )
    (root / "cats.yaml").write_text(SPEC.replace("Pets", "Cats"))
    result = apigov("generate", "gateway", "-t", "envoy", "-o", "out", "pets.yaml", "cats.yaml", cwd=root)
    assert_input_error(result, "collides with", "of service 'pets'")
    data = yaml.safe_load((root / "apigov.yaml").read_text())
    assert data["gateway"]["services"]["cats"]["contract"] == "cats.yaml"


OVERLAY = """\
overlay: 1.0.0
info: {title: platform gateway policy, version: 1.0.0}
actions:
  - target: $.paths['/pets/{petId}'].get
    update:
      x-apigov-timeout: 750ms
      deprecated: true
      x-sunset: '2031-01-31'
  - target: $.paths.*[?(@.operationId == 'listPets')]
    update: {x-apigov-rate-limit: {requests: 3, per: second}}
"""


def test_overlays_from_the_command_line_and_apigov_yaml(tmp_path: Path) -> None:
    root = project(tmp_path, GATEWAY)
    (root / "policy.overlay.yaml").write_text(OVERLAY)
    result = apigov(
        "generate", "gateway", "-t", "envoy", "-o", "out", "--overlay", "policy.overlay.yaml", cwd=root
    )
    assert result.returncode == 0, result.stderr
    config = (root / "out" / "envoy.yaml").read_text()
    assert "timeout: 0.75s" in config
    assert "Fri, 31 Jan 2031 00:00:00 GMT" in config
    assert "tokens_per_fill: 3" in config
    assert "x-sunset" not in (root / "pets.yaml").read_text()  # the spec itself is untouched
    (root / "apigov.yaml").write_text(
        (root / "apigov.yaml").read_text() + "  overlays: [policy.overlay.yaml]\n"
    )
    nginx = apigov("generate", "gateway", "-t", "nginx", "-o", "out", cwd=root)
    assert nginx.returncode == 0, nginx.stderr
    assert (
        'add_header Sunset "Fri, 31 Jan 2031 00:00:00 GMT" always;'
        in (root / "out" / "nginx.conf").read_text()
    )


def test_a_bad_overlay_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, GATEWAY)
    (root / "bad.yaml").write_text(
        "overlay: 1.0.0\nactions:\n  - target: $.paths[?(@.a =~ /x/)]\n    remove: true\n"
    )
    result = apigov("generate", "gateway", "-t", "envoy", "-o", "out", "--overlay", "bad.yaml", cwd=root)
    assert_input_error(result, "bad.yaml", "JSONPath", "not supported")
    assert not (root / "out").exists()


def test_contracts_from_the_registry(tmp_path: Path) -> None:
    root = project(tmp_path, GATEWAY)
    published = apigov(
        "publish", "pets.yaml", "--subject", "pets-api", "--version", "1.0.0", "--registry", "reg", cwd=root
    )
    assert published.returncode == 0, published.stdout + published.stderr
    result = apigov(
        "generate", "gateway", "-t", "nginx", "-o", "out", "pets-api@latest", "--registry", "reg", cwd=root
    )
    assert result.returncode == 0, result.stderr
    text = (root / "out" / "nginx.conf").read_text()
    assert "# pets: pets-api@1.0.0" in text
    assert 'location ~ "^/v1/pets/-?[0-9]+$"' in text
    missing = apigov(
        "generate", "gateway", "-t", "nginx", "-o", "out2", "cats-api@latest", "--registry", "reg", cwd=root
    )
    assert_input_error(missing, "cats-api")
    assert not (root / "out2").exists()
