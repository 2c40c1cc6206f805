"""The committed SDL is what the built-in programs compose; a stale file fails here."""

from pathlib import Path

from unionaid.core.cli import main
from unionaid.core.graphql.schema import build_schema, sdl
from unionaid.core.host import PluginHost

COMMITTED = Path(__file__).parent.parent / "schema" / "schema.graphql"


def test_committed_sdl_is_current():
    current = sdl(build_schema(PluginHost.load(builtin_only=True)))
    assert COMMITTED.read_text(encoding="utf-8") == current, (
        "schema/schema.graphql is stale: run `unionaid export-schema`"
    )


def test_export_schema_command_writes_the_same_file(tmp_path, monkeypatch):
    monkeypatch.setenv("UNIONAID_DATA_KEY", "A" * 43 + "=")
    out = tmp_path / "out.graphql"
    assert main(["export-schema", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8")


def test_contract_names_frontends_rely_on():
    text = COMMITTED.read_text(encoding="utf-8")
    for needle in (
        "districts: [District!]!",
        "member(id: ID!): Member",
        "node(id: ID!): Node",
        "funds(",
        "programs: [Program!]!",
        "enum Gender",
        "enum EmploymentStatus",
        "scalar Money",
        "scalar Date",
        "createMember(input: CreateMemberInput!): CreateMemberPayload!",
        "updateMember(input: UpdateMemberInput!): UpdateMemberPayload!",
        "createEnterprise(input: CreateEnterpriseInput!): CreateEnterprisePayload!",
        "enableProgram(input: ProgramDistrictInput!): ProgramPayload!",
        "disableProgram(input: ProgramDistrictInput!): ProgramPayload!",
        "configureProgram(input: ConfigureProgramInput!): ConfigureProgramPayload!",
        "contributeToFund(input: ContributeToFundInput!): ContributeToFundPayload!",
        "transferBetweenFunds(input: TransferBetweenFundsInput!): TransferBetweenFundsPayload!",
    ):
        assert needle in text, needle
