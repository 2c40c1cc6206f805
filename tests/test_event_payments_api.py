"""Payment hooks and event payments as the API drives them: payEntitlement, the payCampaign
job and reverseEntitlement tell the owning program; the campaign mutations refuse an event
payment's campaign with EVENT_PAYMENT."""

from decimal import Decimal

from tests import test_campaign_api
from tests.factories import ACTOR, nodes
from tests.test_campaign_api import APPROVE, HUISHAN, PAY
from tests.test_campaign_payments_api import PAY_ONE, REVERSE, SHOW, spring_festival
from tests.test_event_payments import sample_calls
from unionaid.core import request_event_payment, to_global_id
from unionaid.core.global_ids import pk_of
from unionaid.core.services import accounts

api = test_campaign_api.api


async def test_hook_on_entitlements_paid_and_reversed_through_the_api(api):
    app, clients, fund_id, _people = api
    calls = sample_calls()
    campaign = await spring_festival(app, clients, fund_id)
    await clients["checker"].ok(APPROVE, {"c": campaign, "r": "ok"})
    shown = await clients["payer"].ok(SHOW, {"c": campaign})
    first, second = nodes(shown["campaign"]["entitlements"])
    calls.clear()
    await clients["payer"].ok(PAY_ONE, {"e": first["id"], "k": "one"})
    assert calls == [("paid", f"None:None:{pk_of(first['id'], 'Entitlement')}")]
    await clients["payer"].ok(PAY, {"c": campaign})
    await app.state.jobs.idle()
    assert calls[1:] == [("paid", f"None:None:{pk_of(second['id'], 'Entitlement')}")]
    await clients["payer"].ok(REVERSE, {"e": first["id"], "k": "rev"})
    assert calls[2:] == [("reversed", "None:None:发错了")]


async def test_the_campaign_mutations_refuse_an_event_payment(api):
    app, clients, fund_id, people = api
    host = app.state.host
    await accounts.create_user(ACTOR, accounts.NewUser("claimer", "caseworker", [HUISHAN]))
    who = await accounts.principal_for_user("claimer", "req-test")
    asked = await request_event_payment(
        who,
        host,
        program="sample",
        rule_code="welcome_gift",
        record=("SampleClaim", 5),
        member_id=pk_of(people[0], "Member"),
        amount=Decimal("200.00"),
        fund_id=pk_of(fund_id, "Fund"),
        period_code="2027",
        occurrence_key="claim:5",
        explanation_zh="理赔",
        explanation_en="claim",
    )
    refused = await clients["checker"].ok(
        APPROVE, {"c": to_global_id("Campaign", asked.campaign_id), "r": "ok"}
    )
    assert refused["approveCampaign"]["userErrors"] == [{"code": "EVENT_PAYMENT"}]
