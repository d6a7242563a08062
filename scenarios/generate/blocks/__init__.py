"""The building blocks of a generated scenario: one function per kind of inject, each writing a
`Draft` (see ../draft.py) for the facts and words in a `Ctx` (../context.py).

    opening    the discovery and the first report; leaving the system connected
    evidence   what to preserve; what a wipe leaves
    escalate   the police (or the temptation to call them), the vendor
    public     a reporter or a records request, the story that runs, the director's fines question
    notice     the resident-notice decision, its exemptions, the notice plan, the city's silence
    recover    credentials, the forensic review, pressure to restore, the go-live
    review     the written answer and the runbook in order
    herring    red herrings

Blocks choose among options and wording; the assembler (../assemble.py) decides which blocks a
scenario has, in what order, and which of their branches it keeps.
"""
