"""The page fetcher against real servers on loopback (SPEC 3.7, REQUIREMENTS S19-S22, B2).

Loopback stands in for the internet: a "homelab" fetcher is allowed 127.0.0.0/8, and the
public server listens on 127.0.0.2, which the fetchers of the redirect and rebinding tests
allow on its own. The canary listens on 127.0.0.1 at the same port as the public server, and
the B2 tests prove it never receives a connection.
"""

from __future__ import annotations

import asyncio
import gc
import json
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from ipaddress import ip_address, ip_network
from typing import Any
from urllib.parse import quote
from uuid import uuid4

import pytest
from structlog.testing import capture_logs

from project.adapters.httpx import HttpxPageFetcher, SystemResolver
from project.adapters.httpx._slots import UserSlots
from project.adapters.httpx.fetcher import DEFAULT_USER_AGENT, MiB
from project.domain.model.archiving import FetchedResource
from project.domain.model.errors import FetchBlocked, FetchFailed
from project.domain.model.ids import UserId
from project.domain.model.network import IPAddress
from tests.contract._page_server import (
    PAGE_HTML,
    PDF_BODY,
    PageServer,
    TlsFiles,
    make_certificate,
    serving,
)

USER = UserId(uuid4())
OTHER_USER = UserId(uuid4())

NAMES: Mapping[str, Sequence[str]] = {
    "pages.test": ["127.0.0.1"],
    "other.test": ["127.0.0.1"],
    "public.test": ["127.0.0.2"],
    "loopback.test": ["127.0.0.1"],
    "mixed.test": ["1.1.1.1", "127.0.0.1"],
    "v6loop.test": ["::1"],
    "mapped.test": ["::ffff:127.0.0.1"],
    "metadata.test": ["169.254.169.254"],
}


class ScriptedResolver:
    """Answers from a script; a name in `later` answers that from its second lookup on."""

    def __init__(
        self,
        answers: Mapping[str, Sequence[str]],
        *,
        later: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self._answers = answers
        self._later = later or {}
        self.calls: list[str] = []

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        seen_before = host in self.calls
        self.calls.append(host)
        answer = self._later.get(host) if seen_before else None
        answer = answer or self._answers.get(host)
        if not answer:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [ip_address(text) for text in answer]


@dataclass(frozen=True)
class Servers:
    pages: PageServer  # 127.0.0.1
    canary: PageServer  # 127.0.0.1, port P
    public: PageServer  # 127.0.0.2, port P
    tls: PageServer  # 127.0.0.1, certificate for pages.test, keeps connections open
    tls_files: TlsFiles

    @property
    def all(self) -> tuple[PageServer, ...]:
        return (self.pages, self.canary, self.public, self.tls)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    files = make_certificate(tmp_path_factory.mktemp("tls"), "pages.test")
    with (
        serving() as pages,
        serving() as canary,
        serving("127.0.0.2", canary.port) as public,
        serving(tls=files.server_context(), keep_alive=True) as tls,
    ):
        yield Servers(pages, canary, public, tls, files)


@pytest.fixture(autouse=True)
def _fresh_records(servers: Servers) -> None:
    for server in servers.all:
        server.record.clear()


@pytest.fixture
def resolver() -> ScriptedResolver:
    return ScriptedResolver(NAMES)


Make = Callable[..., HttpxPageFetcher]


@pytest.fixture
async def make_fetcher(servers: Servers, resolver: ScriptedResolver) -> AsyncIterator[Make]:
    """Fetchers allowed the test servers' ports, using the scripted resolver by default."""
    made: list[HttpxPageFetcher] = []

    def make(
        *, allowed: Sequence[str] = (), ports: Sequence[int] = (), **options: Any
    ) -> HttpxPageFetcher:
        options.setdefault("resolver", resolver)
        server_ports = {server.port for server in servers.all}
        fetcher = HttpxPageFetcher(
            allowed_networks=[ip_network(cidr) for cidr in allowed],
            allowed_ports=frozenset({80, 443, *server_ports, *ports}),
            **options,
        )
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        await fetcher.aclose()


@pytest.fixture
def homelab(make_fetcher: Make) -> HttpxPageFetcher:
    """An administrator allowed loopback: the test servers count as reachable."""
    return make_fetcher(allowed=["127.0.0.0/8"])


@pytest.fixture
def guarded(make_fetcher: Make) -> HttpxPageFetcher:
    """No private network allowed: the production default."""
    return make_fetcher()


@pytest.fixture
def gateway(make_fetcher: Make) -> HttpxPageFetcher:
    """Only the public server (127.0.0.2) counts as reachable."""
    return make_fetcher(allowed=["127.0.0.2/32"])


async def fetch(fetcher: HttpxPageFetcher, url: str, **options: Any) -> FetchedResource:
    options.setdefault("owner_id", USER)
    options.setdefault("accept", "text/html,*/*;q=0.5")
    return await fetcher.fetch(url, **options)


def seen(resource: FetchedResource) -> dict[str, Any]:
    """What the echo route saw."""
    echoed: dict[str, Any] = json.loads(resource.body)
    return echoed


def assert_untouched(server: PageServer) -> None:
    assert server.record.connections == []
    assert server.record.requests == []


# Behaviour


async def test_the_host_header_is_kept_while_the_checked_address_is_dialled(
    homelab: HttpxPageFetcher, servers: Servers, resolver: ScriptedResolver
) -> None:
    url = f"http://pages.test:{servers.pages.port}/echo"

    resource = await fetch(homelab, url)

    assert resource.status == 200
    assert resource.url == url
    assert seen(resource)["host"] == f"pages.test:{servers.pages.port}"
    assert seen(resource)["local"] == "127.0.0.1"
    assert resolver.calls == ["pages.test"]


async def test_only_the_fetchers_own_headers_are_sent(
    homelab: HttpxPageFetcher, servers: Servers
) -> None:
    resource = await fetch(homelab, f"http://pages.test:{servers.pages.port}/echo")

    headers = seen(resource)["headers"]
    assert headers["user-agent"] == DEFAULT_USER_AGENT
    assert headers["accept"] == "text/html,*/*;q=0.5"
    assert not {"cookie", "authorization", "proxy-authorization", "referer"} & set(headers)


async def test_cookies_set_on_a_redirect_are_not_sent_back(
    homelab: HttpxPageFetcher, servers: Servers
) -> None:
    resource = await fetch(homelab, f"http://pages.test:{servers.pages.port}/cookie")

    assert "cookie" not in seen(resource)["headers"]
    assert len(servers.pages.record.requests) == 2


async def test_media_type_and_charset_come_from_content_type(
    homelab: HttpxPageFetcher, servers: Servers
) -> None:
    url = f"http://pages.test:{servers.pages.port}/page"

    resource = await fetch(homelab, url)

    assert resource == FetchedResource(
        url=url,
        status=200,
        media_type="text/html",
        charset="iso-8859-1",
        body=PAGE_HTML.encode("latin-1"),
    )


async def test_a_pdf_comes_back_as_sent(homelab: HttpxPageFetcher, servers: Servers) -> None:
    resource = await fetch(homelab, f"http://pages.test:{servers.pages.port}/pdf")

    assert (resource.media_type, resource.charset, resource.body) == (
        "application/pdf",
        None,
        PDF_BODY,
    )


async def test_five_redirects_are_followed_each_hop_resolved_once(
    homelab: HttpxPageFetcher, servers: Servers, resolver: ScriptedResolver
) -> None:
    resource = await fetch(homelab, f"http://pages.test:{servers.pages.port}/redirect/5")

    assert resource.url == f"http://pages.test:{servers.pages.port}/echo"
    assert resolver.calls == ["pages.test"] * 6


async def test_the_sixth_redirect_is_refused(homelab: HttpxPageFetcher, servers: Servers) -> None:
    with pytest.raises(FetchFailed, match="redirects") as raised:
        await fetch(homelab, f"http://pages.test:{servers.pages.port}/redirect/6")

    assert raised.type is FetchFailed
    assert raised.value.permanent
    assert len(servers.pages.record.requests) == 6


async def test_a_redirect_loop_ends(homelab: HttpxPageFetcher, servers: Servers) -> None:
    with pytest.raises(FetchFailed, match="redirects") as raised:
        await fetch(homelab, f"http://pages.test:{servers.pages.port}/loop")

    assert raised.value.permanent


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_every_redirect_status_is_followed(
    homelab: HttpxPageFetcher, servers: Servers, status: int
) -> None:
    origin = f"http://pages.test:{servers.pages.port}"

    resource = await fetch(homelab, f"{origin}/to?status={status}&url=/echo")

    assert resource.url == f"{origin}/echo"


async def test_an_endless_body_is_stopped_at_the_cap(
    homelab: HttpxPageFetcher, servers: Servers
) -> None:
    with pytest.raises(FetchFailed, match="too large") as raised:
        await fetch(homelab, f"http://pages.test:{servers.pages.port}/endless", max_bytes=MiB)

    assert raised.value.permanent


async def test_a_declared_length_over_the_cap_is_refused_up_front(
    homelab: HttpxPageFetcher, servers: Servers
) -> None:
    with pytest.raises(FetchFailed, match="too large") as raised:
        await fetch(homelab, f"http://pages.test:{servers.pages.port}/big")

    assert raised.value.permanent


async def test_a_slow_body_runs_into_the_total_deadline(
    make_fetcher: Make, servers: Servers
) -> None:
    fetcher = make_fetcher(allowed=["127.0.0.0/8"], connect_timeout=0.5, total_timeout=0.5)
    started = time.monotonic()

    with pytest.raises(FetchFailed, match="longer than") as raised:
        await fetch(fetcher, f"http://pages.test:{servers.pages.port}/slow?seconds=5")

    assert not raised.value.permanent
    assert time.monotonic() - started < 2


async def test_429_says_when_to_retry(homelab: HttpxPageFetcher, servers: Servers) -> None:
    url = f"http://pages.test:{servers.pages.port}/status/429?retry_after=120"

    with pytest.raises(FetchFailed) as raised:
        await fetch(homelab, url)

    assert not raised.value.permanent
    assert raised.value.retry_after_seconds == 120


async def test_503_retry_after_may_be_an_http_date(
    homelab: HttpxPageFetcher, servers: Servers
) -> None:
    when = quote(format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True))

    with pytest.raises(FetchFailed) as raised:
        await fetch(
            homelab, f"http://pages.test:{servers.pages.port}/status/503?retry_after={when}"
        )

    assert not raised.value.permanent
    assert raised.value.retry_after_seconds is not None
    assert 80 < raised.value.retry_after_seconds <= 90


@pytest.mark.parametrize(
    ("status", "permanent"),
    [(500, False), (502, False), (408, False), (404, True), (403, True), (410, True)],
)
async def test_error_statuses_are_transient_or_permanent(
    homelab: HttpxPageFetcher, servers: Servers, status: int, permanent: bool
) -> None:
    with pytest.raises(FetchFailed, match=f"The server answered {status}") as raised:
        await fetch(homelab, f"http://pages.test:{servers.pages.port}/status/{status}")

    assert raised.type is FetchFailed
    assert raised.value.permanent is permanent
    assert raised.value.retry_after_seconds is None


async def test_a_refused_connection_is_transient(make_fetcher: Make) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    fetcher = make_fetcher(allowed=["127.0.0.0/8"], ports=[closed_port])

    with pytest.raises(FetchFailed, match="connection failed") as raised:
        await fetch(fetcher, f"http://pages.test:{closed_port}/")

    assert raised.type is FetchFailed
    assert not raised.value.permanent


async def test_an_unknown_host_is_a_permanent_failure(guarded: HttpxPageFetcher) -> None:
    with pytest.raises(FetchFailed, match="could not be resolved") as raised:
        await fetch(guarded, "https://nowhere.test/")

    assert raised.type is FetchFailed
    assert raised.value.permanent


async def test_tls_names_and_verifies_the_original_host(
    make_fetcher: Make, servers: Servers
) -> None:
    fetcher = make_fetcher(allowed=["127.0.0.0/8"], ssl_context=servers.tls_files.client_context())

    resource = await fetch(fetcher, f"https://pages.test:{servers.tls.port}/echo")

    assert seen(resource)["host"] == f"pages.test:{servers.tls.port}"
    assert servers.tls.record.server_names == ["pages.test"]


async def test_tls_refuses_a_certificate_for_another_name(
    make_fetcher: Make, servers: Servers
) -> None:
    fetcher = make_fetcher(allowed=["127.0.0.0/8"], ssl_context=servers.tls_files.client_context())

    with pytest.raises(FetchFailed) as raised:
        await fetch(fetcher, f"https://other.test:{servers.tls.port}/echo")

    assert raised.type is FetchFailed
    assert servers.tls.record.requests == []


async def test_a_connection_verified_for_one_name_is_not_reused_for_another(
    make_fetcher: Make, servers: Servers
) -> None:
    fetcher = make_fetcher(allowed=["127.0.0.0/8"], ssl_context=servers.tls_files.client_context())
    await fetch(fetcher, f"https://pages.test:{servers.tls.port}/echo")

    with pytest.raises(FetchFailed):  # other.test shares the address, not the certificate
        await fetch(fetcher, f"https://other.test:{servers.tls.port}/echo")

    assert len(servers.tls.record.requests) == 1


async def test_one_user_runs_at_most_n_fetches_and_does_not_hold_up_another(
    make_fetcher: Make, servers: Servers
) -> None:
    fetcher = make_fetcher(allowed=["127.0.0.0/8"], per_user_concurrency=2)
    wait = f"http://pages.test:{servers.pages.port}/wait?seconds=0.3"
    busy = [asyncio.create_task(fetch(fetcher, f"{wait}&tag=busy")) for _ in range(5)]
    await asyncio.sleep(0.1)

    started = time.monotonic()
    other = await fetch(fetcher, f"{wait}&tag=other", owner_id=OTHER_USER)
    waited = time.monotonic() - started
    done = await asyncio.gather(*busy)

    assert [resource.body for resource in done] == [b"busy"] * 5
    assert other.body == b"other"
    assert servers.pages.record.most_in_flight["busy"] == 2
    assert servers.pages.record.most_in_flight["*"] == 3
    assert waited < 0.6  # the busy user's five take three rounds of 0.3 s


async def test_the_system_resolver_answers_each_address_once() -> None:
    addresses = await SystemResolver().resolve("localhost", 80)

    assert addresses
    assert len(set(addresses)) == len(addresses)
    assert {str(address) for address in addresses} <= {"127.0.0.1", "::1"}
    assert await SystemResolver().resolve("127.0.0.1", 80) == [ip_address("127.0.0.1")]


async def test_B2_a_fetcher_with_production_defaults_refuses_loopback(servers: Servers) -> None:
    fetcher = HttpxPageFetcher(allowed_ports=frozenset({servers.canary.port}))
    try:
        with pytest.raises(FetchBlocked):
            await fetch(fetcher, f"http://127.0.0.1:{servers.canary.port}/")
    finally:
        await fetcher.aclose()

    assert_untouched(servers.canary)


async def test_per_user_slots_are_forgotten_once_idle() -> None:
    slots = UserSlots(2)
    for _ in range(50):
        async with slots.hold(UserId(uuid4())):
            pass
    gc.collect()

    assert len(slots) == 0


# B2: the SSRF matrix. The canary must never see a connection.

_ENCODED_AND_PRIVATE = [
    "http://127.0.0.1:{P}/",
    "http://127.1:{P}/",
    "http://2130706433:{P}/",
    "http://0x7f000001:{P}/",
    "http://0X7F.0.0.1:{P}/",
    "http://0177.0.0.1:{P}/",
    "http://017700000001:{P}/",
    "http://127.000.000.001:{P}/",
    "http://127.0.0.1.:{P}/",
    "http://%31%32%37.0.0.1:{P}/",
    "http://\uff11\uff12\uff17\uff0e\uff10\uff0e\uff10\uff0e\uff11:{P}/",  # fullwidth
    "http://0:{P}/",
    "http://0.0.0.0:{P}/",
    "http://[::1]:{P}/",
    "http://[0:0:0:0:0:0:0:1]:{P}/",
    "http://[::ffff:127.0.0.1]:{P}/",
    "http://[::ffff:7f00:1]:{P}/",
    "http://[::127.0.0.1]:{P}/",
    "http://[::]:{P}/",
    "http://[fe80::1%25lo]:{P}/",
    "http://[fd00::1]:{P}/",
    "http://169.254.169.254/latest/meta-data/",
    "http://169.254.169.254:{P}/",
    "http://100.64.0.1/",
    "http://10.0.0.1:{P}/",
    "http://192.168.1.1:{P}/",
    "http://1.2.3.4.5:{P}/",
    "http://256.0.0.1:{P}/",
    "http://localhost:{P}/",
    "http://LOCALHOST.:{P}/",
    "http://app.localhost:{P}/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://loopback.test:{P}/",
    "http://mixed.test:{P}/",
    "http://v6loop.test:{P}/",
    "http://mapped.test:{P}/",
    "http://metadata.test/",
]


@pytest.mark.parametrize("template", _ENCODED_AND_PRIVATE)
async def test_B2_encoded_loopback_private_and_metadata_addresses_are_blocked(
    guarded: HttpxPageFetcher, servers: Servers, template: str
) -> None:
    url = template.replace("{P}", str(servers.canary.port))

    with capture_logs() as logs, pytest.raises(FetchBlocked, match="blocked") as raised:
        await fetch(guarded, url)

    assert_untouched(servers.canary)
    blocks = [entry for entry in logs if entry["event"] == "ssrf_blocked"]
    assert [(entry["log_level"], entry["reason"]) for entry in blocks] == [
        ("warning", raised.value.detail)
    ]
    assert str(USER) == blocks[0]["owner_id"]


_PRIVATE_REDIRECTS = [
    "http://127.0.0.1:{P}/",
    "http://2130706433:{P}/",
    "http://[::1]:{P}/",
    "http://loopback.test:{P}/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://localhost:{P}/",
    "file:///etc/passwd",
    "http://user:secret@public.test:{P}/echo",
    "gopher://127.0.0.1:{P}/",
]


@pytest.mark.parametrize("template", _PRIVATE_REDIRECTS)
async def test_B2_a_public_redirect_to_a_private_address_is_blocked(
    gateway: HttpxPageFetcher, servers: Servers, template: str
) -> None:
    target = template.replace("{P}", str(servers.canary.port))
    url = f"http://public.test:{servers.public.port}/to?url={quote(target, safe='')}"

    with pytest.raises(FetchBlocked, match="blocked"):
        await fetch(gateway, url)

    assert len(servers.public.record.requests) == 1  # the first hop was fine
    assert_untouched(servers.canary)


async def test_B2_a_rebinding_resolver_never_reaches_the_canary(
    make_fetcher: Make, servers: Servers
) -> None:
    rebinding = ScriptedResolver(
        {"rebind.test": ["127.0.0.2"]}, later={"rebind.test": ["127.0.0.1"]}
    )
    fetcher = make_fetcher(allowed=["127.0.0.2/32"], resolver=rebinding)

    resource = await fetch(fetcher, f"http://rebind.test:{servers.public.port}/echo")

    assert seen(resource)["local"] == "127.0.0.2"  # the address that was checked
    assert seen(resource)["host"] == f"rebind.test:{servers.public.port}"
    assert rebinding.calls == ["rebind.test"]  # one lookup: nothing left to rebind
    assert_untouched(servers.canary)


async def test_B2_a_rebinding_resolver_is_checked_again_on_every_hop(
    make_fetcher: Make, servers: Servers
) -> None:
    rebinding = ScriptedResolver(
        {"rebind.test": ["127.0.0.2"]}, later={"rebind.test": ["127.0.0.1"]}
    )
    fetcher = make_fetcher(allowed=["127.0.0.2/32"], resolver=rebinding)

    with pytest.raises(FetchBlocked, match="resolves to an address that is not public"):
        await fetch(fetcher, f"http://rebind.test:{servers.public.port}/to?url=/echo")

    assert rebinding.calls == ["rebind.test", "rebind.test"]
    assert len(servers.public.record.requests) == 1
    assert_untouched(servers.canary)


_REFUSED_URLS = [
    "ftp://127.0.0.1:{P}/",
    "file:///etc/passwd",
    "gopher://127.0.0.1:{P}/_",
    "javascript:alert(1)",
    "//127.0.0.1:{P}/",
    "http://user:secret@127.0.0.1:{P}/",
    "http://user@loopback.test:{P}/",
    "http://127.0.0.1:{P}@loopback.test:{P}/",
    "http://127.0.0.1:8/",
    "http://127.0.0.1:{P}/ echo",
    "http://127.0.0.1:{P}/" + "a" * 2100,
]


@pytest.mark.parametrize("template", _REFUSED_URLS, ids=lambda t: t[:40])
async def test_B2_url_rules_refuse_before_any_lookup_or_connection(
    homelab: HttpxPageFetcher, servers: Servers, resolver: ScriptedResolver, template: str
) -> None:
    url = template.replace("{P}", str(servers.canary.port))

    with pytest.raises(FetchBlocked, match="blocked"):
        await fetch(homelab, url)

    assert resolver.calls == []
    assert_untouched(servers.canary)


async def test_B2_the_url_length_limit_is_2048(homelab: HttpxPageFetcher, servers: Servers) -> None:
    origin = f"http://127.0.0.1:{servers.pages.port}/"
    longest = origin + "a" * (2048 - len(origin))

    with pytest.raises(FetchFailed, match="answered 404") as raised:  # fetched: not blocked
        await fetch(homelab, longest)
    with pytest.raises(FetchBlocked, match="longer than 2048"):
        await fetch(homelab, longest + "a")

    assert raised.type is FetchFailed
    assert len(servers.pages.record.requests) == 1


async def test_B2_a_homelab_allowance_lets_the_fetch_through_and_is_logged(
    homelab: HttpxPageFetcher, servers: Servers
) -> None:
    with capture_logs() as logs:
        resource = await fetch(homelab, f"http://127.1:{servers.pages.port}/echo")

    assert seen(resource)["host"] == f"127.0.0.1:{servers.pages.port}"
    allowed = [entry for entry in logs if entry["event"] == "ssrf_private_network_allowed"]
    assert [(e["log_level"], e["host"], e["address"]) for e in allowed] == [
        ("info", "127.0.0.1", "127.0.0.1")
    ]


async def test_B2_an_allowance_is_exactly_as_wide_as_configured(
    gateway: HttpxPageFetcher, servers: Servers
) -> None:
    with pytest.raises(FetchBlocked):
        await fetch(gateway, f"http://127.0.0.1:{servers.canary.port}/")

    resource = await fetch(gateway, f"http://127.0.0.2:{servers.public.port}/echo")

    assert seen(resource)["local"] == "127.0.0.2"
    assert_untouched(servers.canary)
