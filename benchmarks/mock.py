"""`apigov mock` speed: `GET` of one order from the shop's orders contract against a bare Starlette
endpoint returning the same body.

Target (issue 15): requests per second of `apigov mock examples/shop/orders/v1/openapi.yaml`
answering `GET /orders/orders/ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V` (path parameter validated, the
example chosen and checked against the response schema, JSON encoded) at least half those of a
bare Starlette endpoint returning the same JSON body, both under uvicorn (one process, no access
log), measured in the same run by the same raw-socket load generator as benchmarks/serve.py,
taking turns; each keeps its best round.

Run: `python benchmarks/mock.py` (or `make bench`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from benchmarks._timing import APIGOV, ROOT
from benchmarks.serve import _free_port, _load, _wait, cli, stop

SPEC = ROOT / "examples" / "shop" / "orders" / "v1" / "openapi.yaml"
PATH = "/orders/orders/ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V"

BARE_APP = textwrap.dedent(
    """
    import json, sys
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    BODY = json.loads(sys.argv[2])

    async def constant(request):
        return JSONResponse(BODY)

    app = Starlette(routes=[Route(sys.argv[3], constant)])
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_config=None, access_log=False,
                log_level="warning", lifespan="off", server_header=False, proxy_headers=False)
    """
)


def _body() -> str:
    from pathlib import Path

    from apigov.fuzz.mock import Mock, load_contract

    answer = Mock([load_contract(Path(SPEC), str(SPEC))]).answer("GET", PATH, [], {}, b"")
    return json.dumps(answer.body)


def main(seconds: float = 4.0, connections: int = 16, rounds: int = 2) -> list[bool]:
    env = {**os.environ, "NO_COLOR": "1"}
    servers: list[subprocess.Popen[bytes]] = []
    try:
        bare_port, mock_port = _free_port(), _free_port()
        servers.append(
            subprocess.Popen([sys.executable, "-c", BARE_APP, str(bare_port), _body(), PATH], env=env)
        )
        _wait(bare_port, servers[-1])
        servers.append(
            subprocess.Popen(
                [*APIGOV, "mock", str(SPEC), "--port", str(mock_port)], env=env, stdout=subprocess.DEVNULL
            )
        )
        _wait(mock_port, servers[-1])
        bare: list[float] = []
        mock: list[float] = []
        for _ in range(rounds):
            bare.append(_load(bare_port, "unused", seconds, connections, PATH))
            mock.append(_load(mock_port, "unused", seconds, connections, PATH))
        ratio = max(mock) / max(bare)
        ok = ratio >= 0.5
        print(
            f"{'apigov mock GET one order':<44} {max(mock):8.0f} req/s   "
            f"bare Starlette same JSON {max(bare):8.0f} req/s   ratio {ratio:.2f} (target >= 0.50)  "
            f"{'ok' if ok else 'MISSED'}"
        )
        return [ok]
    finally:
        stop(servers)


if __name__ == "__main__":
    cli(__doc__, main)
