"""Why a meeting was left out, derived from the final schedule (first matching reason wins):

1. `no_common_free_slot`: no slot where every person named and both companies are available (and the
   session allowed), ignoring other meetings;
2. `quota`: a company has reached its quota;
3. `precedence`: a predecessor is unplaced, or no such slot lies between its predecessors and successors;
4. `no_common_free_slot` again when the parties are busy (in other meetings) in each of those slots;
5. `table_capacity`: in each slot where the parties are free, no table is free (or the cap is reached);
6. `interpreter_shortage`: there is a table, but no interpreter covering the pair is free;
7. `fairness`: it would fit, but it would break the fairness bound.
"""

from meetings.scheduling.result import Reason, Unplaced
from meetings.scheduling.rules import Index, static_slots
from meetings.scheduling.state import State


def reason_for(state: State, meeting_id: str) -> Reason:
    ix = state.ix
    meeting = ix.meeting[meeting_id]
    slots = static_slots(ix, meeting)
    if not slots:
        return "no_common_free_slot"
    if state.quota_reached(meeting):
        return "quota"
    window = state.precedence_window(meeting)
    if window is None or not any(window[0] < pos < window[1] for pos in slots):
        return "precedence"
    free = [pos for pos in slots if window[0] < pos < window[1] and not state.parties_busy(meeting, pos)]
    if not free:
        return "no_common_free_slot"
    with_table = [(pos, t) for pos in free for t in state.free_tables(meeting, pos)]
    if not with_table:
        return "table_capacity"
    if not any(state.free_interpreters(meeting, pos, t) for pos, t in with_table):
        return "interpreter_shortage"
    return "fairness"


def unplaced_reasons(ix: Index, state: State) -> list[Unplaced]:
    return [
        Unplaced(meeting=m.id, reason=reason_for(state, m.id))
        for m in ix.instance.meetings
        if m.id not in state.placed
    ]
