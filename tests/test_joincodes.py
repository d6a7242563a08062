"""Join codes: unambiguous when read aloud, forgiving when typed, stored only as a digest."""

from __future__ import annotations

from scoring.joincodes import ALPHABET, LENGTH, code_hash, new_code, shown, typed


def test_codes_are_long_random_and_never_use_a_character_misread_aloud():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    every = set("".join(codes))
    assert every <= set(ALPHABET) and not every & set("0O1IL5S")
    assert all(len(code) == LENGTH >= 8 for code in codes)
    assert len(every) == len(ALPHABET)  # each of the 29 turns up: drawn from all of them


def test_a_code_is_read_back_whatever_case_spaces_or_dashes():
    code = new_code()
    assert typed(shown(code)) == code
    assert typed(" " + shown(code).lower() + " ") == code
    assert typed(code[:-1]) is None  # too short
    assert typed(code[:-1] + "0") is None  # a character no code has


def test_only_a_digest_is_kept_and_it_does_not_contain_the_code():
    code = new_code()
    digest = code_hash(code)
    assert digest == code_hash(typed(shown(code).lower()))
    assert code not in digest and code.lower() not in digest and len(digest) == 64
