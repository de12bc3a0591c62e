"""Bookmark URL rules and the canonical form behind "one bookmark per canonical URL"."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from project.domain.model.errors import InvalidUrl
from project.domain.model.urls import MAX_URL_LENGTH, canonical_url, check_bookmark_url

# Text a URL may carry: anything but whitespace, controls, invisible formatting, surrogates.
_visible = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zs", "Zl", "Zp"))
_odd_text = st.text(st.one_of(_visible, st.sampled_from("%~.-_!$&'()*+,;=:@")), max_size=12)

_ascii_labels = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,14}[a-zA-Z0-9])?", fullmatch=True)
_unicode_labels = st.text(
    st.characters(categories=("Ll", "Lu", "Lo", "Nd")), min_size=1, max_size=70
)
_hosts = st.one_of(
    st.lists(_ascii_labels, min_size=1, max_size=4).map(".".join),
    st.lists(st.one_of(_ascii_labels, _unicode_labels), min_size=1, max_size=3).map(".".join),
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(lambda ip: f"[{ip}]"),
)
_segments = st.one_of(
    _odd_text.map(lambda s: s.replace("/", "").replace("?", "").replace("#", "")),
    st.sampled_from([".", "..", "%2e", "%2E%2e", "%7E", "%7e", "%zz", "%", "%2F", "%41"]),
)
_query_text = _odd_text.map(lambda s: s.replace("#", "").replace("&", "").replace("=", ""))


@st.composite
def bookmark_urls(draw: st.DrawFn) -> str:
    """Any http(s) URL a user might paste: unicode hosts, odd paths, free-text queries."""
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "hTTps"]))
    port = draw(st.one_of(st.just(""), st.integers(1, 65535).map(lambda p: f":{p}")))
    path = "".join("/" + s for s in draw(st.lists(_segments, max_size=5)))
    pairs = draw(st.lists(st.tuples(_query_text, _query_text), max_size=4))
    query = draw(st.sampled_from(["", "?"])) + "&".join(f"{k}={v}" for k, v in pairs)
    fragment = draw(st.one_of(st.just(""), _odd_text.map(lambda s: "#" + s)))
    return f"{scheme}://{draw(_hosts)}{port}{path}{'?' if pairs else query}{fragment}"


def _accepted(url: str) -> str:
    try:
        return check_bookmark_url(url)
    except InvalidUrl:
        assume(False)
        raise


@given(bookmark_urls())
def test_canonicalization_never_raises_and_is_idempotent(url: str) -> None:
    once = canonical_url(_accepted(url))
    assert canonical_url(once) == once


@given(bookmark_urls())
def test_canonical_form_is_ascii_and_itself_a_valid_bookmark_url(url: str) -> None:
    once = canonical_url(_accepted(url))
    assert once.isascii()
    assume(len(once) <= MAX_URL_LENGTH)
    assert check_bookmark_url(once) == once


@given(
    host=st.lists(_ascii_labels, min_size=1, max_size=3).map(".".join),
    path=st.lists(st.from_regex(r"[a-z0-9~._-]{0,8}", fullmatch=True), max_size=3),
    pairs=st.lists(
        st.tuples(
            st.from_regex(r"[a-z]{1,6}", fullmatch=True),
            st.from_regex(r"[a-z0-9~]{0,6}|%3[aA]", fullmatch=True),
        ),
        max_size=4,
        unique_by=lambda pair: pair[0],
    ),
    https=st.booleans(),
    data=st.data(),
)
def test_equivalent_spellings_collapse_to_one(
    host: str, path: list[str], pairs: list[tuple[str, str]], https: bool, data: st.DataObject
) -> None:
    scheme, port = ("https", 443) if https else ("http", 80)
    value = [(k, v.replace("%3a", "%3A")) for k, v in pairs]
    plain_path = "".join("/" + s for s in path) or "/"
    plain_query = "&".join(f"{k}={v}" for k, v in sorted(value))
    plain = f"{scheme}://{host.lower()}{plain_path}" + (f"?{plain_query}" if value else "")

    shuffled = data.draw(st.permutations([*pairs, ("utm_source", "news"), ("fbclid", "x1")]))
    variant = (
        f"{scheme.upper()}://{host.upper()}:{port}"
        + ("".join("/" + s.replace("~", "%7e") for s in path) if path else "")
        + "?"
        + "&".join(f"{k}={v.replace('~', '%7E')}" for k, v in shuffled)
        + "#section-2"
    )
    assert canonical_url(variant) == canonical_url(plain)
    assert canonical_url(plain) == canonical_url(canonical_url(variant))


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://Example.COM", "http://example.com/"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com:080/", "https://example.com:80/"),
        ("https://example.com/page#section", "https://example.com/page"),
        ("https://example.com/?b=2&a=1&b=1", "https://example.com/?a=1&b=2&b=1"),
        (
            "https://example.com/?utm_source=x&UTM_Medium=y&id=3&gclid=z",
            "https://example.com/?id=3",
        ),
        ("https://example.com/?utm_source=x", "https://example.com/"),
        ("https://example.com/?", "https://example.com/"),
        ("https://example.com/?&&a=1&", "https://example.com/?a=1"),
        ("https://example.com/%7euser/%7E", "https://example.com/~user/~"),
        ("https://example.com/a%2fb/%c3%a9", "https://example.com/a%2Fb/%C3%A9"),
        ("https://example.com/é?q=ü", "https://example.com/%C3%A9?q=%C3%BC"),
        ("https://example.com/100%/%zz", "https://example.com/100%25/%25zz"),
        ("https://example.com/a/./b/../c/", "https://example.com/a/c/"),
        ("https://example.com/a/%2E%2E/b", "https://example.com/b"),
        ("https://Bücher.Example/", "https://xn--bcher-kva.example/"),
        ("https://ex%41mple.com/", "https://example.com/"),
        ("https://[2001:DB8:0:0:0:0:0:1]:443/", "https://[2001:db8::1]/"),
        ("https://example.com/?q=a+b&q=a%20b", "https://example.com/?q=a+b&q=a%20b"),
        ("  https://example.com/  ", "https://example.com/"),
    ],
)
def test_canonical_form_examples(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_a_host_idna_cannot_encode_is_percent_encoded_in_lowercase() -> None:
    url = "https://" + "ü" * 64 + ".example/"
    canonical = canonical_url(url)
    assert canonical == "https://" + "%c3%bc" * 64 + ".example/"
    assert canonical_url(canonical) == canonical


def test_tracking_parameters_are_matched_after_percent_decoding() -> None:
    assert canonical_url("https://example.com/?utm%5Fsource=x&a=1") == "https://example.com/?a=1"


def test_check_returns_the_url_as_given_but_stripped() -> None:
    assert check_bookmark_url("  HTTPS://Example.com/A?b#c\n") == "HTTPS://Example.com/A?b#c"


def test_longest_url_is_accepted_and_one_more_character_is_not() -> None:
    base = "https://example.com/"
    assert check_bookmark_url(base + "a" * (MAX_URL_LENGTH - len(base)))
    with pytest.raises(InvalidUrl, match="2048"):
        check_bookmark_url(base + "a" * (MAX_URL_LENGTH - len(base) + 1))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Enter a URL"),
        ("example.com", "http and https"),
        ("ftp://example.com/", "http and https"),
        ("javascript:alert(1)", "http and https"),
        ("https:///path", "host"),
        ("https://", "host"),
        ("https://user:pass@example.com/", "user name or password"),
        ("https://bank.example@evil.example/", "user name or password"),
        ("https://exa mple.com/", "spaces or control"),
        ("https://example.com/a b", "spaces or control"),
        ("https://example.com/\x00", "spaces or control"),
        ("https://exam\u202eple.com/", "spaces or control"),
        ("https://example.com:0/", "port"),
        ("https://example.com:65536/", "port"),
        ("https://example.com:http/", "port"),
        ("https://[::1/", "not a valid URL"),
        ("https://[not-ipv6]/", "IPv6|not a valid URL"),
        ("https://exa<mple.com/", "host name"),
        ("https://ex%zzample.com/", "host name"),
        ("https://ex\uff05ample.com/", "host name"),
    ],
)
def test_urls_that_cannot_be_bookmarks_are_refused_with_a_reason(url: str, message: str) -> None:
    with pytest.raises(InvalidUrl, match=message):
        check_bookmark_url(url)


def test_canonicalizing_an_invalid_url_raises_invalid_url_only() -> None:
    with pytest.raises(InvalidUrl):
        canonical_url("mailto:someone@example.com")
