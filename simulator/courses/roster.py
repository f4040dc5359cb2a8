"""Roster import: read a CSV of people, preview what it would do, then apply it to a cohort.

Parsing only reads the database; applying adds rows to the session and leaves the commit to
the caller, so a preview that is never confirmed writes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from simulator.audit import record
from simulator.courses.cohorts import ACCOUNT_ROLES_FOR, add_member, role_fits
from simulator.courses.tokens import issue_token, set_password_path
from simulator.models import Cohort, User
from simulator.users import EMAIL_PATTERN, create_user, find_user, normalise_email

MAX_BYTES = 512 * 1024
MAX_ROWS = 2000
COLUMNS = ("email", "name", "role")
MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 120
CREATE, ADD = "create", "add"
_SHOWN = 60  # longest value quoted back in a message
_LOOKUP_CHUNK = 500  # stays under every database's limit on bound parameters
_KNOWN_ROLES = ", ".join(ACCOUNT_ROLES_FOR)


@dataclass(frozen=True)
class RosterProblem:
    """Why one line (or, with no line, the whole file) cannot be imported."""

    line: int | None
    message: str

    def located(self, source: str) -> str:
        """The problem prefixed with where it is: `roster.csv:4: invalid email 'x@'`."""
        return f"{source}:{self.line}: {self.message}" if self.line else f"{source}: {self.message}"


@dataclass(frozen=True)
class RosterRow:
    """A good row: the person, and whether importing creates an account or adds an existing one."""

    line: int
    email: str
    name: str
    role: str
    existing_user_id: int | None = None

    @property
    def action(self) -> str:
        return ADD if self.existing_user_id is not None else CREATE


@dataclass(frozen=True)
class RosterPreview:
    """What an import would do: the good rows, and every problem found.

    An invitation preview (a supervisor's) looked no account up: every row is an invitation,
    and nothing in it tells whether an email already has an account.
    """

    rows: tuple[RosterRow, ...] = ()
    problems: tuple[RosterProblem, ...] = ()
    invite: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def creates(self) -> list[RosterRow]:
        return [row for row in self.rows if row.action == CREATE]

    @property
    def adds(self) -> list[RosterRow]:
        return [row for row in self.rows if row.action == ADD]

    @property
    def bad_lines(self) -> list[int]:
        return sorted({p.line for p in self.problems if p.line is not None})


@dataclass(frozen=True)
class IssuedLink:
    """A new account's one-time set-password link. The token is a secret: never log it."""

    user_id: int
    email: str
    name: str
    token: str = field(repr=False)

    def path(self) -> str:
        """The site-relative path the token opens."""
        return set_password_path(self.token)

    def url(self, base_url: str) -> str:
        """The full link, e.g. `https://site.example/set-password/<token>`."""
        return base_url.rstrip("/") + self.path()


@dataclass(frozen=True)
class _Draft:
    """A row as written, cleaned of surrounding space."""

    line: int
    email: str
    written_email: str
    name: str
    role: str


@dataclass(frozen=True)
class _Context:
    first_line: dict[str, int]  # valid email -> the line it first appears on
    existing: dict[str, User]  # email -> account that already has it (empty when inviting)
    invite: bool  # rows become invitations: trainees only, and no account is looked up


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[: _SHOWN - 1] + "…"


def _valid_email(email: str) -> bool:
    return len(email) <= MAX_EMAIL_LENGTH and EMAIL_PATTERN.match(email) is not None


def _email_problems(draft: _Draft, context: _Context) -> Iterator[str]:
    if not draft.email:
        yield "missing email"
    elif not _valid_email(draft.email):
        yield f"invalid email '{_shown(draft.written_email)}'"
    elif context.first_line[draft.email] != draft.line:
        yield f"duplicate email '{draft.email}' (first on line {context.first_line[draft.email]})"


def _name_problems(draft: _Draft, context: _Context) -> Iterator[str]:
    if not draft.name:
        yield "empty name"
    elif len(draft.name) > MAX_NAME_LENGTH:
        yield f"name longer than {MAX_NAME_LENGTH} characters"


def _role_problems(draft: _Draft, context: _Context) -> Iterator[str]:
    if not draft.role:
        yield f"missing role (known: {_KNOWN_ROLES})"
    elif draft.role not in ACCOUNT_ROLES_FOR:
        yield f"unknown role '{_shown(draft.role)}' (known: {_KNOWN_ROLES})"
    elif context.invite and draft.role != "trainee":
        yield (f"only an administrator can add a {draft.role}; import this row as a trainee "
               "or ask an administrator to add them")
    elif (user := context.existing.get(draft.email)) and not role_fits(draft.role, user.role):
        yield f"{draft.email} already has an account with the role {user.role}, not {draft.role}"


# Each check looks at one concern of a row; all of them run, so every problem is reported.
ROW_CHECKS: tuple[Callable[[_Draft, _Context], Iterator[str]], ...] = (
    _email_problems, _name_problems, _role_problems,
)


def _decode(data: bytes) -> str | RosterProblem:
    if len(data) > MAX_BYTES:
        return RosterProblem(None, f"the file is larger than {MAX_BYTES // 1024} KiB; "
                                   "split it into smaller files")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return RosterProblem(line, "not UTF-8 text; save the file as 'CSV UTF-8' and try again")


def _records(text: str) -> list[tuple[int, list[str]]] | RosterProblem:
    """Non-blank CSV records with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records, next_line = [], 1
    try:
        for values in reader:
            cleaned = [value.strip() for value in values]
            if any(cleaned):
                records.append((next_line, cleaned))
            next_line = reader.line_num + 1
    except csv.Error as error:
        return RosterProblem(reader.line_num, f"cannot read this line as CSV ({error})")
    return records


def _header_problem(line: int, header: list[str]) -> RosterProblem | None:
    names = [name.lower() for name in header]
    missing = [c for c in COLUMNS if c not in names]
    unexpected = [n for n in dict.fromkeys(header) if n.lower() not in COLUMNS]
    repeated = [n for n in dict.fromkeys(names) if n in COLUMNS and names.count(n) > 1]
    if not (missing or unexpected or repeated):
        return None
    parts = [f"the header must name the columns {', '.join(COLUMNS)} (in any order)"]
    for label, found in (("missing", missing), ("unexpected", unexpected), ("repeated", repeated)):
        if found:
            parts.append(f"{label}: " + ", ".join(f"'{_shown(n)}'" for n in found))
    return RosterProblem(line, "; ".join(parts))


def _draft(line: int, values: list[str], header: list[str]) -> _Draft | RosterProblem:
    if len(values) != len(header):
        return RosterProblem(line, f"expected {len(header)} fields ({', '.join(header)}), "
                                   f"found {len(values)}")
    cell = dict(zip(header, values, strict=True))
    return _Draft(line=line, email=normalise_email(cell["email"]), written_email=cell["email"],
                  name=cell["name"], role=cell["role"].lower())


def _existing_users(session: Session, emails: list[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for start in range(0, len(emails), _LOOKUP_CHUNK):
        chunk = emails[start : start + _LOOKUP_CHUNK]
        query = select(User).where(col(User.email).in_(chunk))
        found.update((user.email, user) for user in session.exec(query))
    return found


def _check(drafts: list[_Draft], session: Session, invite: bool) -> RosterPreview:
    first_line: dict[str, int] = {}
    for draft in drafts:
        if _valid_email(draft.email):
            first_line.setdefault(draft.email, draft.line)
    existing = {} if invite else _existing_users(session, list(first_line))
    context = _Context(first_line, existing, invite)
    rows, problems = [], []
    for draft in drafts:
        found = [RosterProblem(draft.line, message)
                 for check in ROW_CHECKS for message in check(draft, context)]
        problems.extend(found)
        if not found:
            user = context.existing.get(draft.email)
            rows.append(RosterRow(draft.line, draft.email, draft.name, draft.role,
                                  user.id if user else None))
    return RosterPreview(tuple(rows), tuple(problems), invite)


def parse_roster(data: bytes, *, session: Session, invite: bool = False) -> RosterPreview:
    """Check a roster CSV (header `email,name,role`) and say what importing it would do.

    With `invite` (a supervisor's import) every row is an invitation of a trainee and no
    account is looked up, so the preview reads the same whoever already has an account.
    """
    text = _decode(data)
    records = text if isinstance(text, RosterProblem) else _records(text)
    if isinstance(records, RosterProblem):
        return RosterPreview(problems=(records,), invite=invite)
    if not records:
        return RosterPreview(problems=(RosterProblem(
            None, f"the file is empty; its first line must be the header {','.join(COLUMNS)}"),),
            invite=invite)
    (header_line, header), body = records[0], records[1:]
    if problem := _header_problem(header_line, header):
        return RosterPreview(problems=(problem,), invite=invite)
    if len(body) > MAX_ROWS:
        return RosterPreview(problems=(RosterProblem(
            None, f"the file has {len(body):,} rows; import at most {MAX_ROWS:,} at a time"),),
            invite=invite)
    header = [name.lower() for name in header]
    drafts = [_draft(line, values, header) for line, values in body]
    preview = _check([d for d in drafts if isinstance(d, _Draft)], session, invite)
    shape = tuple(d for d in drafts if isinstance(d, RosterProblem))
    problems = sorted(preview.problems + shape, key=lambda p: p.line or 0)
    return RosterPreview(preview.rows, tuple(problems), invite)


def apply_roster(
    *, session: Session, cohort: Cohort, preview: RosterPreview, actor_id: int | None,
) -> list[IssuedLink]:
    """Import the preview's good rows into `cohort` (not committed); return the new accounts' links.

    Accounts are looked up again, so a change since the preview raises CohortError rather
    than guessing.
    """
    links = []
    for row in preview.rows:
        user = find_user(session=session, email=row.email)
        if user is None:
            user = create_user(session=session, email=row.email, name=row.name, role=row.role)
            session.flush()
            token = issue_token(session=session, user=user)
            links.append(IssuedLink(user.id, user.email, user.name, token))
        add_member(session=session, cohort=cohort, user=user, role=row.role)
    session.flush()
    record(session, actor_id=actor_id, action="cohort.roster_import", object_type="cohort",
           object_id=str(cohort.id), created=len(links), added=len(preview.rows) - len(links),
           skipped=len(preview.bad_lines), created_user_ids=[link.user_id for link in links])
    return links
