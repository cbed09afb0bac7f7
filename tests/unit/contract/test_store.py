"""The pact stores (directory and PostgreSQL): publish, immutability, verifications, deployments,
can-i-deploy; the same rules on both."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

import pytest

from apigov.contract.matrix import can_i_deploy
from apigov.contract.model import PactState, Verification, parse_pact
from apigov.contract.publish import publish_pacts
from apigov.contract.store import PactStore, pact_store_of
from apigov.core.errors import InputError, UnknownSubject, VersionExists
from apigov.registry.filesystem import DirectoryBackend
from tests._postgres import fresh_database
from tests.unit.contract._pacts import pact


def _postgres(tmp: Path) -> PactStore:
    from apigov.registry.postgres import PostgresBackend

    return pact_store_of(PostgresBackend(fresh_database()))


STORES: Final[dict[str, Callable[[Path], PactStore]]] = {
    "directory": lambda tmp: pact_store_of(DirectoryBackend(tmp / "contracts")),
    "postgres": _postgres,
}


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> PactStore:
    return STORES[request.param](tmp_path)


def _publish(store: PactStore, raw: bytes, version: str, branch: str = "main") -> None:
    publish_pacts(
        store, [("p.json", raw)], consumer_version=version, branch=branch, at="2026-01-01T00:00:00Z"
    )


def _verify(store: PactStore, consumer: str, version: str, provider: str, pv: str, ok: bool) -> Verification:
    state = store.snapshot()
    digest = state.publications[(consumer, provider, version)].digest

    def step(s: PactState) -> Verification:
        return s.record_verification(Verification(digest, consumer, provider, pv, ok, verified_at="t"))

    return store.change({}, step)


def _deploy(store: PactStore, name: str, version: str, env: str = "production") -> None:
    store.change({}, lambda s: s.record_deployment(name, version, env, at="t"))


def test_publish_v3_and_v4_content_addressed_and_immutable(store: PactStore) -> None:
    _publish(store, pact(spec="3.0.0"), "1.0.0")
    _publish(store, pact(spec="4.0"), "1.1.0")
    _publish(store, pact(spec="3.0.0"), "1.0.0")  # the same content again: unchanged
    state = store.snapshot()
    assert {k[2] for k in state.publications} == {"1.0.0", "1.1.0"}
    digest = state.publications[("web", "orders", "1.0.0")].digest
    assert parse_pact(store.content(digest)).digest == digest
    assert state.versions[("web", "1.0.0")].branches == ("main",)
    with pytest.raises(VersionExists):
        _publish(store, pact(name="changed"), "1.0.0")
    after = store.snapshot()
    assert after.publications == state.publications  # nothing half-written


def test_a_failing_publish_of_several_files_stores_none(store: PactStore) -> None:
    with pytest.raises(InputError):
        publish_pacts(store, [("a.json", pact()), ("b.json", b"{not json")], consumer_version="1", at="t")
    assert store.snapshot().publications == {}


def test_verification_of_an_unknown_pact_is_refused(store: PactStore) -> None:
    _publish(store, pact(), "1.0.0")
    with pytest.raises(UnknownSubject):
        store.change({}, lambda s: s.record_verification(Verification("0" * 64, "web", "orders", "2", True)))


def test_can_i_deploy_both_directions(store: PactStore) -> None:
    _publish(store, pact(), "1.0.0")
    _deploy(store, "orders", "2.0.0")
    answer = can_i_deploy(store.snapshot(), [("web", "1.0.0")], "production")
    assert not answer.deployable and "never verified by orders@2.0.0" in answer.reasons[0]
    _verify(store, "web", "1.0.0", "orders", "2.0.0", True)
    answer = can_i_deploy(store.snapshot(), [("web", "1.0.0")], "production")
    assert answer.deployable and answer.rows[0].selector == "deployed in production"
    _deploy(store, "web", "1.0.0")
    # a new provider version that failed the deployed consumer's pact
    _verify(store, "web", "1.0.0", "orders", "3.0.0", False)
    answer = can_i_deploy(store.snapshot(), [("orders", "3.0.0")], "production")
    assert not answer.deployable and "verification #2" in answer.reasons[0] and "failed" in answer.reasons[0]
    # a pacticipant no pact names: yes, and says why
    _deploy(store, "lonely", "1")
    answer = can_i_deploy(store.snapshot(), [("lonely", "1")], "production")
    assert answer.deployable and "no integrations" in answer.notices[0]


def test_deployment_replaces_the_previous_one_and_undeployment_ends_it(store: PactStore) -> None:
    _deploy(store, "orders", "1")
    _deploy(store, "orders", "2")
    current = [d.version for d in store.snapshot().deployments if d.current]
    assert current == ["2"]
    store.change({}, lambda s: s.end_deployments("orders", "production", version="2", at="t"))
    assert not [d for d in store.snapshot().deployments if d.current]


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"{", "not valid JSON"),
        (
            b'{"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [], "metadata": {"pactSpecification": {"version": "9.0"}}}',
            "unknown Pact specification",
        ),
        (
            b'{"consumer": {"name": "../x"}, "provider": {"name": "b"}, "interactions": []}',
            "invalid consumer name",
        ),
        (
            b'{"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [{"request": {"method": "GET", "path": "no slash"}}]}',
            "is not a URL path",
        ),
    ],
)
def test_bad_pacts_are_refused_in_one_line(raw: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_pact(raw)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_verifier_results_ok_is_success_and_mismatches_are_expected_vs_actual() -> None:
    from apigov.contract.verify import failures_of

    assert failures_of({"interactionResults": [{"description": "a", "result": "OK", "pending": False}]}) == ()
    failed = failures_of({"interactionResults": [{"description": "b", "result": "Error", "mismatch": {"mismatches": [
        {"type": "BodyMismatch", "path": "$.name", "mismatch": "Expected 7 to be equal to 'x'", "expected": '"x"', "actual": "7"}]}}]})
    assert failed[0].interaction == "b" and "expected \"x\", actual 7" in failed[0].message


def test_concurrent_publishers_lose_nothing(store: PactStore) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def one(n: int) -> None:
        _publish(store, pact(consumer=f"web{n % 4}", name=str(n)), f"1.0.{n}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(24)))
    state = store.snapshot()
    assert len(state.publications) == 24 and len({p.seq for p in state.publications.values()}) == 24


def test_pacticipants_deployed_together_are_judged_at_the_versions_given(store: PactStore) -> None:
    _publish(store, pact(), "1.0.0")
    _deploy(store, "orders", "1.0.0")
    _verify(store, "web", "1.0.0", "orders", "2.0.0", True)
    alone = can_i_deploy(store.snapshot(), [("web", "1.0.0")], "production")
    assert not alone.deployable  # orders 1.0.0 in production never verified it
    together = can_i_deploy(store.snapshot(), [("web", "1.0.0"), ("orders", "2.0.0")], "production")
    assert together.deployable and {r.selector for r in together.rows} == {"to deploy"}
