"""A hardship file's workflow, declared on the core's primitive: registered by a caseworker,
verified by someone else, reviewed (复核) by someone else than its registrar whenever it falls
due, closed with a reason; a closed file may be registered again and starts a new life."""

from unionaid.core import Action, Code, Transition, Words, Workflow
from unionaid.plugins.hardship.models import FileStage, HardshipProfile

R, V, C = FileStage.REGISTERED.value, FileStage.VERIFIED.value, FileStage.CLOSED.value

FILES = Workflow(
    name="HardshipFile",
    model=HardshipProfile,
    state_field="stage",
    what=Words("困难职工档案", "hardship file"),
    states={
        R: Words("已登记", "registered"),
        V: Words("已核实", "verified"),
        C: Words("已关闭", "closed"),
    },
    transitions=(
        # From registered or verified only for a file without reasons (a model worker's standing
        # imported before any registration): the service refuses a real one as DUPLICATE.
        Transition(
            "register",
            (None, C, R, V),
            R,
            Action.WRITE_RECORDS,
            Words("登记", "register"),
            operation="registerHardshipFile",
        ),
        Transition(
            "verify",
            (R,),
            V,
            Action.WRITE_RECORDS,
            Words("核实", "verify"),
            makers_may_take=False,
            makers=("register",),
            refusal=Code.SELF_VERIFICATION,
            operation="verifyHardshipFile",
        ),
        Transition(
            "review",
            (V,),
            V,
            Action.WRITE_RECORDS,
            Words("复核", "review"),
            makers_may_take=False,
            makers=("register",),
            refusal=Code.SELF_VERIFICATION,
            operation="reviewHardshipFile",
        ),
        Transition(
            "close",
            (R, V),
            C,
            Action.WRITE_RECORDS,
            Words("关闭", "close"),
            operation="closeHardshipFile",
        ),
    ),
)
