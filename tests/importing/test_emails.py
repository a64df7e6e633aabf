"""Emails: one canonical form whatever the spelling, and a fast path that is the library."""

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES
from hypothesis import example, given, settings
from hypothesis import strategies as st

from roster.importing.emails import EmailChecker, plain_email
from roster.importing.fields import check_email, email_key, identity_key
from roster.importing.issues import IssueCode

LOCAL_CHARS = "aZ09._+-!#'é"
LABELS = st.one_of(
    st.text("abcXYZ019-", min_size=1, max_size=12),
    st.sampled_from(["xn--mnchen-3ya", "XN--MNCHEN-3YA", "xn--0", "xn--ls8h", "xn--a", "ab--cd"]),
    st.sampled_from(["münchen", "MÜNCHEN", "例え", "a" * 63, "a" * 64, "1", "-a", "a-"]),
    st.builds(lambda a, b: f"{a}--{b}", st.text("abxn", min_size=2, max_size=2), st.text("ab0")),
)
TOP = st.one_of(
    st.sampled_from(["com", "COM", "de", "la", "tld", "123", "c", "xn--p1ai"]),
    st.sampled_from(sorted(SPECIAL_USE_DOMAIN_NAMES)),
)
LOCALS = st.one_of(
    st.text(LOCAL_CHARS, min_size=0, max_size=70),
    st.sampled_from([*CASE_INSENSITIVE_MAILBOX_NAMES, "Info", "POSTMASTER", "x" * 64, "x" * 65]),
)


@st.composite
def addresses(draw: st.DrawFn) -> str:
    labels = draw(st.lists(LABELS, max_size=4))
    domain = ".".join([*labels, draw(TOP)])
    return f"{draw(LOCALS)}@{domain}"


@settings(max_examples=800, deadline=None)
@given(address=addresses())
@example("jo@xn--mnchen-3ya.de")
@example("me@xn--0.tld")
@example("me@ab--cd.com")
@example("Info@example.com")
@example(f"{'x' * 64}@{'a' * 63}.{'b' * 63}.{'c' * 63}.{'d' * 57}.com")
def test_the_fast_path_gives_exactly_the_librarys_answer(address: str) -> None:
    library = check_email(address)
    fast = plain_email(address)
    if fast is not None:
        assert library.issue is None and library.value == fast
    assert EmailChecker()(address) == library


def test_the_fast_path_answers_plain_addresses_itself() -> None:
    assert plain_email("Ann.Lee+school@Mail.Example.COM") == "Ann.Lee+school@mail.example.com"
    assert plain_email("jo@xn--mnchen-3ya.de") is None  # Punycode: the library decodes it
    assert plain_email("Info@example.com") is None  # a role mailbox: the library lowers it


def test_punycode_and_unicode_spellings_are_one_canonical_address() -> None:
    spellings = ["jo@münchen.de", "jo@xn--mnchen-3ya.de", "jo@XN--MNCHEN-3YA.DE", "jo@MÜNCHEN.de"]
    assert {check_email(s).value for s in spellings} == {"jo@münchen.de"}
    assert {EmailChecker()(s).value for s in spellings} == {"jo@münchen.de"}
    assert {email_key(s) for s in spellings} == {identity_key("jo@münchen.de")}


def test_addresses_the_library_refuses_are_refused() -> None:
    for address in ("me@xn--0.tld", "jo@xn--ls8h.la", "jo@xn--a.com", "me@ab--cd.com"):
        assert EmailChecker()(address).issue is IssueCode.INVALID_EMAIL, address


def test_a_part_before_the_at_outside_ascii_is_refused_in_plain_words() -> None:
    checked = check_email("jösé@example.com")
    assert checked.issue is IssueCode.INVALID_EMAIL
    assert checked.detail == (
        "Roster can only send email to addresses whose part before the @ uses plain letters"
        " (A–Z), digits and . _ % + -; “jösé@…” has other characters (ö, é)."
    )
    # Other problems keep the library's own words.
    assert "@-sign" in check_email("jösé@@example.com").detail


def test_email_key_of_text_that_is_no_address_is_the_text() -> None:
    assert email_key(" Not An Email ") == "not an email"
