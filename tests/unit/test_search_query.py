"""The search query language (SPEC 3.5): a total parser and a formatter it inverts."""

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from project.domain.model.query import (
    MAX_QUERY_LENGTH,
    MAX_QUERY_TERMS,
    SearchQuery,
    format_query,
    parse_query,
)

_query_alphabet = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(['"', "-", ":", "#", " ", "site:", "is:", "in:", "before:", "after:"]),
)
query_texts = st.lists(_query_alphabet, max_size=60).map("".join) | st.text(max_size=200)


def test_words_are_lowercased_and_kept_in_order_without_repeats() -> None:
    query = parse_query("  Python  asyncio PYTHON\tguide ")
    assert query.words == ("python", "asyncio", "guide")
    assert query.has_text


def test_quoted_text_is_a_lowercased_phrase_with_whitespace_collapsed() -> None:
    assert parse_query('"Exact   Phrase\n here" other').phrases == ("exact phrase here",)


def test_an_unbalanced_quote_makes_the_rest_one_phrase() -> None:
    query = parse_query('a "b c #d')
    assert (query.words, query.phrases, query.tags) == (("a",), ("b c #d",), ())


def test_a_quote_inside_a_word_starts_a_phrase() -> None:
    query = parse_query('foo"bar baz"')
    assert (query.words, query.phrases) == (("foo",), ("bar baz",))


def test_minus_excludes_words_and_phrases() -> None:
    query = parse_query('-Spam -"buy now" - ham')
    assert query.excluded_words == ("spam", "buy now")
    assert query.words == ("ham",)


def test_hash_adds_and_minus_hash_excludes_normalized_tags() -> None:
    query = parse_query("#Python -#JS #python")
    assert (query.tags, query.excluded_tags) == (("python",), ("js",))
    assert not query.has_text


def test_an_invalid_tag_becomes_a_word() -> None:
    assert parse_query("# #" + "x" * 65).words == ("#", "#" + "x" * 65)


def test_site_takes_a_lowercase_host_from_a_host_or_a_url() -> None:
    query = parse_query("site:Example.COM -site:https://www.Blog.org:8080/post?x=1 site:bücher.de")
    assert query.sites == ("example.com", "xn--bcher-kva.de")
    assert query.excluded_sites == ("www.blog.org",)


def test_a_site_that_is_no_host_becomes_a_word() -> None:
    assert parse_query("site: site:a<b").words == ("site:", "site:a<b")


def test_is_sets_and_minus_is_clears_flags() -> None:
    query = parse_query("is:unread -is:archived IS:Favorite")
    assert (query.unread, query.archived, query.favorite) == (True, False, True)
    assert parse_query("").unread is None


def test_the_last_is_for_a_flag_wins() -> None:
    assert parse_query("is:unread -is:unread").unread is False


def test_an_unknown_is_value_becomes_a_word() -> None:
    assert parse_query("is:pinned").words == ("is:pinned",)


def test_in_names_a_collection_quoted_or_not_and_the_last_wins() -> None:
    assert parse_query("in:work").collection == "work"
    assert parse_query('in:work in:"Reading  List"').collection == "Reading List"


def test_dates_before_and_after_and_bad_dates_become_words() -> None:
    query = parse_query("before:2024-02-29 after:2023-01-01 after:2023-02-30 before:yesterday")
    assert (query.before, query.after) == (date(2024, 2, 29), date(2023, 1, 1))
    assert query.words == ("after:2023-02-30", "before:yesterday")


def test_unknown_operators_and_negated_value_operators_are_words() -> None:
    query = parse_query("foo:bar -in:work -before:2024-01-01")
    assert query.words == ("foo:bar",)
    assert query.excluded_words == ("in:work", "before:2024-01-01")


def test_a_quoted_operator_value_that_is_invalid_becomes_a_phrase() -> None:
    assert parse_query('before:"next week"').phrases == ("before:next week",)


def test_a_quoted_operator_is_a_phrase_not_an_operator() -> None:
    query = parse_query('"site:example.com" "#tag"')
    assert (query.phrases, query.sites, query.tags) == (("site:example.com", "#tag"), (), ())


def test_input_beyond_the_limits_is_ignored() -> None:
    assert len(parse_query(" ".join(f"w{i}" for i in range(80))).words) == MAX_QUERY_TERMS
    assert parse_query("a" * MAX_QUERY_LENGTH + " tail").words == ("a" * MAX_QUERY_LENGTH,)


def test_formatting_writes_every_operator() -> None:
    query = parse_query('Foo "a b" -c -"d e" #t -#u site:x.org -site:y.org is:unread in:"My List"')
    text = format_query(query)
    assert text == 'foo "a b" -c -"d e" #t -#u site:x.org -site:y.org is:unread in:"My List"'
    assert parse_query(text) == query


def test_an_excluded_word_that_reads_as_something_else_is_quoted() -> None:
    query = SearchQuery(excluded_words=("#tag", "is:unread", "two words"))
    assert format_query(query) == '-"#tag" -"is:unread" -"two words"'


@given(query_texts)
def test_every_string_parses(text: str) -> None:
    assert isinstance(parse_query(text), SearchQuery)


@given(query_texts)
def test_formatting_a_parsed_query_reads_back_the_same_query(text: str) -> None:
    query = parse_query(text)
    formatted = format_query(query)
    assume(len(formatted) <= MAX_QUERY_LENGTH)  # Unicode hosts grow when IDNA-encoded
    assert parse_query(formatted) == query


_words = st.from_regex(r"[a-z0-9\u00e0-\u00ff][a-z0-9\u00e0-\u00ff_.+:'#-]{0,10}", fullmatch=True)
_words = _words.filter(lambda w: w.partition(":")[0] not in {"site", "is", "in", "before", "after"})
_phrases = st.text(st.characters(codec="utf-8", exclude_characters='"'), max_size=20)
_phrases = _phrases.map(lambda t: " ".join(t.split()).lower()).filter(bool)
_tags = st.from_regex(r"[a-z0-9\u00e0-\u00ff_.:/+-]{1,20}", fullmatch=True)
_sites = st.from_regex(r"[a-z0-9-]{1,10}(\.[a-z0-9-]{1,10}){0,2}", fullmatch=True)
_collections = st.text(st.characters(codec="utf-8", exclude_characters='"'))
_collections = _collections.map(lambda t: " ".join(t.split())).filter(bool)
_flags = st.none() | st.booleans()


def _unique(items: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(items, unique=True, max_size=3).map(tuple)


search_queries = st.builds(
    SearchQuery,
    words=_unique(_words),
    phrases=_unique(_phrases),
    excluded_words=_unique(_words | _phrases),
    tags=_unique(_tags),
    excluded_tags=_unique(_tags),
    sites=_unique(_sites),
    excluded_sites=_unique(_sites),
    unread=_flags,
    favorite=_flags,
    archived=_flags,
    collection=st.none() | _collections,
    before=st.none() | st.dates(),
    after=st.none() | st.dates(),
)


@given(search_queries)
def test_a_formatted_query_parses_back_to_an_equal_query(query: SearchQuery) -> None:
    assert parse_query(format_query(query)) == query


@pytest.mark.parametrize("text", ['"', "-", "--", '-"', "#", "-#", ":", "in:", 'in:"', "site:["])
def test_degenerate_input_parses(text: str) -> None:
    parse_query(text)
