"""A stepper for a Raft network in a live notebook: a button per action, the nodes below."""

from __future__ import annotations

import ipywidgets as widgets

from advpy.checks import RaftSimulation
from advpy.lessons.consensus.raft import describe


def stepper(sim: RaftSimulation, *, propose_every: int = 5) -> widgets.VBox:
    """Buttons that step ``sim`` one tick (proposing a command every ``propose_every`` ticks),
    cut its leader off, or heal the network; the nodes' state is shown under them."""
    shown = widgets.Output()
    step = widgets.Button(description="step 1 tick")
    cut = widgets.Button(description="cut the leader off")
    heal = widgets.Button(description="heal")

    def show() -> None:
        shown.clear_output()
        with shown:
            print(describe(sim))

    def on_step(_: object) -> None:
        sim.step()
        if sim.time % propose_every == 0:
            sim.propose(f"c{sim.time}")
        show()

    def on_cut(_: object) -> None:
        alone = sim.leader() or sim.ids[0]
        sim.partition({alone}, set(sim.ids) - {alone})
        show()

    def on_heal(_: object) -> None:
        sim.heal()
        show()

    step.on_click(on_step)
    cut.on_click(on_cut)
    heal.on_click(on_heal)
    show()
    return widgets.VBox([widgets.HBox([step, cut, heal]), shown])
