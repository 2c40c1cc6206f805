"""Review defects: a condolence and a plan claim for one stay under both stacking settings, in
both orders; the claims list filtered by a member out of reach."""

import pytest

from tests.test_mutualaid_claims import (
    CONFIGURE,
    _assess,
    _submit,
    condolence,
    stay,
    world,  # noqa: F401 - the fixture
)

DEDUCTED = "condolence of 500.00 already granted for this stay, deducted"


async def _stacking(p, setting: str) -> None:
    done = await p["admin"].ok(CONFIGURE, {"s": {"condolence_stacking": setting}})
    assert done["configureProgram"]["userErrors"] == []


@pytest.mark.parametrize("setting", ["both", "no_claim"])
async def test_claim_first_then_condolence_under_each_stacking(world, setting):  # noqa: F811
    _city, p, members, _fund = world
    cw = p["caseworker"]
    await _stacking(p, setting)
    claim = await _assess(cw, (await _submit(cw, stay(members["住院甲"])))["id"])
    assert claim["amount"] == "1000.00"
    mine = await _assess(cw, (await _submit(cw, condolence(members["住院甲"])))["id"])
    if setting == "both":
        assert (mine["status"], mine["amount"]) == ("ASSESSED", "500.00")
    else:
        assert mine["status"] == "REJECTED"


@pytest.mark.parametrize("setting", ["both", "no_claim"])
async def test_condolence_first_then_claim_under_each_stacking(world, setting):  # noqa: F811
    _city, p, members, _fund = world
    cw = p["caseworker"]
    await _stacking(p, setting)
    mine = await _assess(cw, (await _submit(cw, condolence(members["住院甲"])))["id"])
    assert (mine["status"], mine["amount"]) == ("ASSESSED", "500.00")
    claim = await _assess(cw, (await _submit(cw, stay(members["住院甲"])))["id"])
    assert claim["status"] == "ASSESSED"
    lines = [line["en"] for line in claim["trace"]]
    if setting == "both":
        assert claim["amount"] == "1000.00" and DEDUCTED not in lines
    else:
        # the stay yields max(claim, condolence) = 1000 in all: the claim pays the rest
        assert claim["amount"] == "500.00"
        assert DEDUCTED in lines
        zh = [line["zh"] for line in claim["trace"]]
        assert "已发住院慰问金 500.00 元，予以抵扣" in zh


async def test_a_claim_the_granted_condolence_covers_is_declined_under_no_claim(world):  # noqa: F811
    _city, p, members, _fund = world
    cw = p["caseworker"]
    await _stacking(p, "no_claim")
    short = ("2026-06-01", "2026-06-04")  # 3 days × 50 × 2 shares = 300 < the 500 condolence
    mine = await _assess(cw, (await _submit(cw, condolence(members["住院甲"], *short)))["id"])
    assert mine["amount"] == "500.00"
    claim = await _assess(cw, (await _submit(cw, stay(members["住院甲"], *short)))["id"])
    assert (claim["status"], claim["amount"]) == ("REJECTED", "0.00")
    assert claim["trace"][-1] == {
        "passed": False,
        "zh": "已发住院慰问金 500.00 元，予以抵扣",
        "en": DEDUCTED,
    }
    assert claim["rejectReason"] == "已发住院慰问金 500.00 元，予以抵扣"


async def test_a_rejected_condolence_is_not_deducted(world):  # noqa: F811
    _city, p, members, _fund = world
    cw = p["caseworker"]
    await _stacking(p, "no_claim")
    mine = await _assess(cw, (await _submit(cw, condolence(members["住院甲"])))["id"])
    refused = await p["approver"].ok(
        """mutation($c: ID!) { rejectMutualAidClaim(input: {claimId: $c, reason: "材料不全"}) {
          userErrors { code } } }""",
        {"c": mine["id"]},
    )
    assert refused["rejectMutualAidClaim"]["userErrors"] == []
    claim = await _assess(cw, (await _submit(cw, stay(members["住院甲"])))["id"])
    assert claim["amount"] == "1000.00"


CLAIMS_OF = """query($m: ID!) { mutualAidClaims(memberId: $m) { totalCount } }"""


async def test_claims_of_a_member_out_of_reach_are_not_found(world):  # noqa: F811
    _city, p, members, _fund = world
    cw = p["caseworker"]
    await _submit(cw, stay(members["住院甲"]))
    assert (await cw.ok(CLAIMS_OF, {"m": members["住院甲"]}))["mutualAidClaims"]["totalCount"] == 1
    other = await cw(CLAIMS_OF, {"m": members["滨湖丙"]})  # another district's member
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # an enterprise contact: a member who is not its employee
    theirs = await p["contact"](CLAIMS_OF, {"m": members["未参保乙"]})
    assert theirs["errors"][0]["extensions"]["code"] == "NOT_FOUND"
