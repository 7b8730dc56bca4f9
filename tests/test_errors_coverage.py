"""Every public function and class has bad-input cases (or a stated reason why it needs none)."""

from bad_inputs import EXEMPT, all_cases, exempt, public_names


def test_every_public_name_has_bad_input_cases():
    cases = all_cases()
    missing = [n for n in public_names() if n not in cases and not exempt(n)]
    assert not missing, (
        "public names without bad-input cases: add them to tests/test_errors_<module>.py "
        f"(or to EXEMPT in tests/bad_inputs.py with the reason): {missing}"
    )


def test_cases_and_exemptions_name_real_public_things():
    public = set(public_names())
    stale = [n for n in [*all_cases(), *EXEMPT] if n not in public]
    assert not stale, f"cases or exemptions for names the package no longer has: {stale}"


def test_no_public_name_has_an_empty_list_of_cases():
    empty = [name for name, bads in all_cases().items() if not bads]
    assert not empty, f"empty lists of cases: {empty}"
