"""A valid scenario as frozen dataclasses; built only from data the validator has accepted."""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.rubric import Rubric


@dataclass(frozen=True)
class Condition:
    """One entry of a `when:`: a measure compared with a number, or `direction` with a word."""

    measure: str
    op: str  # one of conditions.OPERATORS; "==" for direction
    value: float | str


@dataclass(frozen=True)
class Branch:
    """Where the conversation goes when all conditions hold (`otherwise`: no conditions)."""

    goto: str
    conditions: tuple[Condition, ...] = ()
    otherwise: bool = False


@dataclass(frozen=True)
class Choice:
    """A scaffolded answer: its text, its rubric scores, feedback, and an optional fixed goto."""

    text: str
    scores: dict[str, float]
    feedback: str
    goto: str | None = None


@dataclass(frozen=True)
class Notice:
    """The notice step: the rupture family and markers a trainee should name."""

    family: str
    markers: tuple[str, ...]


@dataclass(frozen=True)
class Exemplars:
    """Model answers for a free-text node; strong[0] is the one shown as the model response."""

    strong: tuple[str, ...]
    weak: tuple[str, ...]


@dataclass(frozen=True)
class RiskCue:
    """A risk cue the client gives at a node: its kind and the words that carry it."""

    kind: str  # one of vocabulary.RISK_KINDS
    cue: str


@dataclass(frozen=True)
class ClientNode:
    """A moment where the client speaks and the trainee answers."""

    id: str
    say: str
    cue: str
    branches: tuple[Branch, ...]
    inner: str | None = None
    respond: str = "free"
    notice: Notice | None = None
    indicators: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exemplars: Exemplars | None = None
    about: tuple[str, ...] = ()  # what this rupture is about, in words a specific answer names
    needs: tuple[str, ...] = ()  # the criteria that repair this moment; () = the family default
    choices: tuple[Choice, ...] = ()
    risk: tuple[RiskCue, ...] = ()  # the safety layer: the scorer judges `safety` where present
    repair: tuple[str, ...] = ()  # the 3RS resolution strategies the repairing move uses
    apology_colludes: bool = False  # an apology alone does not repair this moment
    level: int | None = None  # a drill statement's level (1 beginner .. 3 advanced)

    @property
    def is_ending(self) -> bool:
        return False

    @property
    def risk_kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.kind for r in self.risk))

    @property
    def targets(self) -> tuple[str, ...]:
        """Every node this one can lead to, in order, without repeats."""
        gotos = [b.goto for b in self.branches] + [c.goto for c in self.choices if c.goto]
        return tuple(dict.fromkeys(gotos))


@dataclass(frozen=True)
class Ending:
    """A final node: how the rupture ended and the debrief that explains why."""

    id: str
    outcome: str  # repaired | partly-repaired | unresolved | escalated
    debrief: str
    say: str | None = None
    cue: str | None = None
    inner: str | None = None

    @property
    def is_ending(self) -> bool:
        return True

    @property
    def targets(self) -> tuple[str, ...]:
        return ()


Node = ClientNode | Ending


@dataclass(frozen=True)
class AllianceRule:
    """After each answered turn: if all conditions hold, change salience and maybe direction."""

    conditions: tuple[Condition, ...]
    salience: int = 0
    direction: str | None = None


@dataclass(frozen=True)
class Alliance:
    """The rupture's starting salience (3RS 1..5) and direction, and the rules that move it."""

    salience: int
    direction: str
    rules: tuple[AllianceRule, ...] = ()


@dataclass(frozen=True)
class Persona:
    """The simulated client (fictional; never a real person)."""

    name: str
    age: int
    context: str
    session: int
    history: str
    pronouns: str | None = None
    background: str | None = None
    age_band: str | None = None


@dataclass(frozen=True)
class Mastery:
    """When a drill is mastered: every statement at `overall` or above with no flag, with at
    most `misses` misses along the way; `statement` says so to the trainee."""

    overall: float
    misses: int
    statement: str


@dataclass(frozen=True)
class Scenario:
    """A complete, valid scenario with its rubric and the exact source it was loaded from."""

    id: str
    title: str
    summary: str
    rupture: str
    markers: tuple[str, ...]
    difficulty: int
    rubric: Rubric
    minutes: int
    objectives: tuple[str, ...]
    client: Persona
    alliance: Alliance
    start: str
    nodes: dict[str, Node]
    content_hash: str  # sha256 of the file bytes, so an attempt can pin this exact version
    source_text: str
    path: str = ""
    kind: str = "scenario"  # or "drill"
    setting: str = "individual"
    difficulty_reason: str = ""
    mastery: Mastery | None = None  # drills only

    def node(self, node_id: str) -> Node:
        """The node with this id (KeyError if none)."""
        return self.nodes[node_id]

    def needs_of(self, node: ClientNode) -> tuple[str, ...]:
        """The criteria this moment needs: the node's own list, else its rupture family's."""
        return self.rubric.needs_for(self.rupture, node.needs)

    def moment_of(self, node: ClientNode) -> dict:
        """What the scorer judges an answer at this node against (score_response keywords):
        what the rupture is about, what the client shows and feels and the story so far (cue,
        inner, the client's background, context and history; in a drill only the statement's own
        cue and inner), and the moves it needs."""
        client = self.client
        # a drill's statements are different clients, each described in its own cue and inner
        story = () if self.is_drill else (client.background, client.context, client.history)
        shown = " ".join(part for part in (node.cue, node.inner, *story) if part)
        return {"about": node.about, "shown": shown, "needs": self.needs_of(node),
                "risk": node.risk_kinds}

    @property
    def is_drill(self) -> bool:
        return self.kind == "drill"

    @property
    def headline(self) -> str:
        """The marker the scenario is mainly about (the first listed)."""
        return self.markers[0]

    @property
    def client_nodes(self) -> dict[str, ClientNode]:
        return {nid: n for nid, n in self.nodes.items() if isinstance(n, ClientNode)}

    @property
    def endings(self) -> dict[str, Ending]:
        return {nid: n for nid, n in self.nodes.items() if isinstance(n, Ending)}

    @property
    def adjacency(self) -> dict[str, tuple[str, ...]]:
        """node id -> the ids it can lead to (for the graph helpers)."""
        return {nid: node.targets for nid, node in self.nodes.items()}
