"""Plain-language messages for what can go wrong in a run."""

from __future__ import annotations

import numpy as np

import optim_core as oc
from ui.i18n import t


def divergence(label: str, diverged_at, what: str | None = None) -> str | None:
    """``"Adam diverged at step 37: try a smaller learning rate"``, or None if no run did.

    ``diverged_at`` is a ``Trajectory.diverged_at``: -1 where a run did not blow up,
    one number for one run or an array for a batch ("3 of 20 … runs diverged").
    """
    at = np.asarray(-1 if diverged_at is None else diverged_at)
    bad = at[at >= 0]
    if bad.size == 0:
        return None
    if at.ndim == 0:
        head = t("notices.diverged_one", label=label, step=int(at))
    else:
        head = t("notices.diverged_some", bad=bad.size, total=at.size, label=label, step=int(bad.min()))
    return t("notices.diverged_tail", head=head, what=what or t("notices.learning_rate"))


# One colour per run status (Streamlit's badge colours); the word is always written out too.
STATUS_COLORS = {"converged": "green", "converging": "blue", "oscillating": "orange", "escaped": "violet",
                 "diverged": "red"}


def status_word(status) -> str:
    """The status in words, in the chosen language."""
    return t(f"notices.{status}")


def status_badge(label: str, status, stopped_at=-1) -> str:
    """``**Adam** :green-badge[converged]``: a run's status as colour plus words, for st.markdown.

    ``stopped_at`` is the run's ``converged_at``: a run stopped by its ``tol`` says at which step."""
    status, stopped_at = str(status), int(np.max(stopped_at)) if np.size(stopped_at) else -1
    word = (t("run_options.converged_at", step=stopped_at) if status == "converged" and stopped_at >= 0
            else status_word(status))
    return f"**{label}** :{STATUS_COLORS[status]}-badge[{word}]"


def status_badges(statuses: dict, stops: dict | None = None) -> str:
    """Several runs' badges on one line, ``{label: status}``, with ``{label: converged_at}`` where known."""
    stops = stops or {}
    return " · ".join(status_badge(label, s, stops.get(label, -1)) for label, s in statuses.items())


def run_report(runs: dict, surface, what: str | None = None) -> tuple[str, list[str]]:
    """Badges for every run (``{label: Trajectory}``), and a divergence line for each that really diverged.

    An escape (the loss falling off the map, as on the saddle) gets its badge and no line: it is no
    reason to shrink the step size.
    """
    statuses = {label: str(oc.status(run, surface)) for label, run in runs.items()}
    what = what or t("notices.step_size")
    notes = [divergence(label, run.diverged_at, what) for label, run in runs.items() if statuses[label] == "diverged"]
    stops = {label: run.converged_at for label, run in runs.items()}
    return status_badges(statuses, stops), [note for note in notes if note]
