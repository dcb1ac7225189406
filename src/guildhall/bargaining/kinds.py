"""The kinds of event a case log holds, and the fields each kind needs.

A field spec is a type name: ``str``, ``int`` (a non-negative whole number), ``date``,
``bool``, or a ``|``-separated list of allowed words. Fields marked optional end in ``?``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

QUESTIONS = "strike_authorization|ratification|board_resolution|other"


@dataclass(frozen=True)
class EventKind:
    name: str
    meaning: str
    fields: MappingProxyType[str, str]

    def required(self) -> list[str]:
        return [k for k, v in self.fields.items() if not v.endswith("?")]


def _kind(name: str, meaning: str, **fields: str) -> EventKind:
    return EventKind(name, meaning, MappingProxyType(dict(fields)))


KINDS: dict[str, EventKind] = {
    k.name: k
    for k in (
        _kind("contract_expired", "an agreement reached the end of its term", agreement="str?"),
        _kind(
            "expired_terms_continued",
            "work went on under an expired agreement's terms until a successor",
            agreement="str",
        ),
        _kind("offer_made", "one side put an offer on the table", agreement="str"),
        _kind("counter_proposal", "the other side answered with proposals", agreement="str?"),
        _kind("negotiation_session", "a formal bargaining session between the parties"),
        _kind("talks_broken_off", "formal talks stopped with no date to resume"),
        _kind("mediation_requested", "a party asked for a mediator"),
        _kind("mediation_accepted", "the other party agreed to mediation"),
        _kind("mediator_met", "the mediator met one side alone", side="str"),
        _kind("session_scheduled", "the parties agreed to meet", meeting_on="date?"),
        _kind("joint_session", "both sides met together with the mediator"),
        _kind("mediation_adjourned", "the mediator adjourned mediation without agreement"),
        _kind("public_statement", "a party or person said something in public"),
        _kind(
            "board_resolution",
            "a governing board adopted a resolution",
            votes_for="int?",
            votes_against="int?",
        ),
        _kind("board_election", "members elected a governing board"),
        _kind("member_meeting", "the guild held a meeting for members", topic="str?"),
        _kind(
            "mediation_failed_determination",
            "the negotiating committee determined that mediation had failed",
        ),
        _kind(
            "vote_opened",
            "a member vote was sent out",
            vote="str",
            question=QUESTIONS,
            opens_on="date?",
            closes_on="date",
        ),
        _kind(
            "vote_closed",
            "a member vote closed with its result",
            vote="str",
            question=QUESTIONS,
            yes="int",
            no="int",
            blank="int?",
            eligible="int?",
            passed="bool?",
        ),
        _kind(
            "board_strike_decision",
            "the board decided whether to strike",
            decision="strike|no_strike",
        ),
        _kind("strike_started", "a strike began"),
        _kind("strike_ended", "a strike ended"),
        _kind("tentative_agreement", "negotiators reached a tentative agreement", agreement="str?"),
        _kind("ratification", "members ratified an agreement", agreement="str?"),
        _kind("arbitration_filed", "a party filed for arbitration", against="str?"),
        _kind(
            "payment_default", "an employer did not pay what an agreement required", amount="str?"
        ),
        _kind(
            "retraction",
            "the record withdraws an earlier event (named by corrects:) that did not happen",
        ),
    )
}
