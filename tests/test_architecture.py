"""The house rules that a reader of the code can check, checked by reading the code.

(a) an app imports only apps below it in govpub/layers.py;
(b) models are written only by actions, engines (WRITER_MODULES), migrations, management
    commands, demo seeders and tests;
(c) permissions are decided only in policy modules;
(d) nobody reaches around a decorator through ``__wrapped__``.

Pure stdlib (ast + pathlib), no Django, no database. Each known violation of today is one
line in an allowlist below; a new violation fails, and so does an entry whose violation is
gone (delete the line), so the lists only shrink. The heuristics are deliberately simple:
they catch the usual spellings, not every way to write Python.
"""

from __future__ import annotations

import ast
import functools
import pathlib
from collections import defaultdict

import pytest

from govpub.layers import LAYERS, layer_of

ROOT = pathlib.Path(__file__).resolve().parent.parent
THIS_FILE = pathlib.Path(__file__).resolve()


# --------------------------------------------------------------------------- allowlists
# One entry per violation; the key says where, the value says why it is tolerated.

# (a) (importing file, imported app) -> why
BACKWARD_IMPORTS: dict[tuple[str, str], str] = {
}

# (b) (file, enclosing function, write) -> why.  Write is the method: save, delete, update,
#     create, bulk_create, bulk_update, get_or_create, update_or_create.
MODEL_WRITES: dict[tuple[str, str, str], str] = {
    ("govpub/api/auth.py", "TokenAuth.authenticate", "update"): "bookkeeping: the token's last-used stamp, not a state change",
    ("govpub/orgs/accounts.py", "PasswordHistoryValidator.password_changed", "create"): "Django's password-validator hook, runs inside change_password/set_password",
    ("govpub/orgs/accounts.py", "PasswordHistoryValidator.password_changed", "delete"): "same hook: trims the history",
    ("govpub/orgs/accounts.py", "PasswordHistoryValidator.password_changed", "update"): "same hook: stamps password_changed_at",
    ("govpub/orgs/accounts.py", "_on_logout", "update"): "session bookkeeping on Django's user_logged_out signal",
    ("govpub/orgs/accounts.py", "claim_session", "update"): "session bookkeeping on sign-in (single-session token)",
}

# (b) Engines: modules whose job is to write their own tables outside an action's shape
#     (workers that lease rows, the audit chain, derived indexes). Not debt; keep it short.
WRITER_MODULES: dict[str, str] = {
    "govpub/audit/log.py": "the hash chain's one writer (append-only table)",
    "govpub/content/lifecycle.py": "the item state table: every state change goes through it (DESIGN §3)",
    "govpub/notifications/notify.py": "notifications, written inside the calling action's transaction",
    "govpub/jobs/runner.py": "job runner: leases chunks with conditional updates",
    "govpub/portal/listing.py": "the site's lists, derived from publications inside the publish/withdraw transaction",
    "govpub/portal/search.py": "search index, derived from publications and rebuilt at will",
    "govpub/publishing/delivery.py": "outbox worker: claims, attempts and outcomes of publications",
    "govpub/review/machine_check.py": "机审 findings, written inside review's actions (submit, re-check)",
    "govpub/supervision/monitor.py": "monitoring probes: measurements, not decisions",
}

# (c) (file, enclosing function, predicate called) -> why
PERMISSION_CALLS: dict[tuple[str, str, str], str] = {
    ("govpub/review/todo.py", "todo_for", "active_roles"): "selects the to-do queues by role: a listing filter, not a yes/no",
    ("govpub/web/context.py", "navigation", "is_admin"): "menu visibility only; every linked page checks its own policy",
    ("govpub/web/context.py", "navigation", "oversees_everything"): "menu visibility only; every linked page checks its own policy",
}

# (d) none tolerated.
WRAPPED_USES: dict[tuple[str, int], str] = {}

# (e) (views file, actions file, message) -> why; a refusal lives in the policy module, said once.
REFUSALS_SAID_TWICE: dict[tuple[str, str, str], str] = {}


# --------------------------------------------------------------------------- checkers
# Each takes a repository-relative path and the file's text, so the self-tests below can feed
# synthetic sources through exactly the code that scans the tree.


@functools.lru_cache(maxsize=None)
def _tree(relpath: str, source: str) -> ast.Module:
    return ast.parse(source, relpath)  # parsed once, read by every rule


def app_of(relpath: str) -> str | None:
    """'govpub/content/views.py' -> 'content'; 'govpub/cli.py' -> 'cli'; None outside govpub/."""
    parts = pathlib.PurePosixPath(relpath).parts
    if len(parts) < 2 or parts[0] != "govpub":
        return None
    return parts[1] if len(parts) > 2 else pathlib.PurePosixPath(parts[1]).stem


def imported_modules(relpath: str, source: str) -> list[tuple[int, str]]:
    """Every module an import statement names (function-level and TYPE_CHECKING ones too), absolute."""
    package = list(pathlib.PurePosixPath(relpath).parts[:-1])
    found = []
    for node in ast.walk(_tree(relpath, source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            if module in ("govpub",) or not node.module:
                # `from govpub import content` / `from .. import review`: the names are modules
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return found


def backward_imports(relpath: str, source: str) -> dict[tuple[str, str], list[int]]:
    """(file, imported app) -> lines, for imports of an app in the same layer or above."""
    own = app_of(relpath)
    if own is None:
        return {}
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for lineno, module in imported_modules(relpath, source):
        parts = module.split(".")
        if parts[0] != "govpub" or len(parts) < 2 or parts[1] == own:
            continue
        if layer_of(parts[1]) >= layer_of(own):
            found[(relpath, parts[1])].append(lineno)
    return dict(found)


WRITE_METHODS = {"save", "delete", "update", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
ALWAYS_WRITES = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
# A receiver chain through one of these is a manager or queryset (Foo.objects..., qs.filter(...)...).
QUERYSET_HOPS = {"objects", "filter", "exclude", "all", "select_for_update", "using", "order_by", "select_related"}


def _through_queryset(node: ast.expr) -> bool:
    while isinstance(node, (ast.Call, ast.Attribute)):
        if isinstance(node, ast.Attribute):
            if node.attr in QUERYSET_HOPS:
                return True
            node = node.value
        else:
            node = node.func
    return False


def _is_model_write(call: ast.Call) -> bool:
    """The heuristic: what a Django model write usually looks like, and what a dict/file/cache write does not."""
    method, receiver = call.func.attr, call.func.value
    if method in ALWAYS_WRITES:
        return True
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super":
        return False  # a model's own save()/delete() override handing on to Django
    if method == "update":
        return _through_queryset(receiver)  # a bare name.update(...) is a dict, set or hash
    # Model.save()/.delete() and manager.create() take no positional arguments;
    # file.save(out), cache.delete(key), document.save(buffer) do.
    return not call.args


class _Calls(ast.NodeVisitor):
    """Method calls named in `names`, with the qualified name of the function around each."""

    def __init__(self, names):
        self.names, self.stack, self.found = names, [], []

    def _scope(self, node):
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scope

    def visit_Call(self, node):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name in self.names:
            self.found.append((".".join(self.stack) or "<module>", name, node))
        self.generic_visit(node)


def _calls(relpath, source, names):
    visitor = _Calls(names)
    visitor.visit(_tree(relpath, source))
    return visitor.found


def write_exempt(relpath: str) -> bool:
    path = pathlib.PurePosixPath(relpath)
    return (
        path.name == "actions.py"
        or "actions" in path.parts[:-1]
        or "migrations" in path.parts
        or "management" in path.parts
        or path.name.startswith("demo")  # demo seeders (govpub demo)
        or path.parts[0] == "tests"
    )


def _durable_functions(relpath: str, source: str) -> set[str]:
    """Qualified names of functions decorated @transaction.atomic(durable=True): actions, wherever they live."""
    durable = set()

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if any(
                    isinstance(d, ast.Call) and any(k.arg == "durable" for k in d.keywords)
                    for d in getattr(child, "decorator_list", ())
                ):
                    durable.add(name)
                walk(child, name + ".")

    walk(_tree(relpath, source), "")
    return durable


def model_writes(relpath: str, source: str) -> dict[tuple[str, str, str], list[int]]:
    """(file, function, method) -> lines, for model writes outside the places allowed to write.

    In an engine (WRITER_MODULES) only the writes of a durable action are reported: that is an
    action living outside actions.py, not engine work.
    """
    if write_exempt(relpath):
        return {}
    durable = _durable_functions(relpath, source) if relpath in WRITER_MODULES else set()
    found: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for scope, method, call in _calls(relpath, source, WRITE_METHODS):
        if relpath in WRITER_MODULES and not any(scope == d or scope.startswith(d + ".") for d in durable):
            continue
        if isinstance(call.func, ast.Attribute) and _is_model_write(call):
            found[(relpath, scope, method)].append(call.lineno)
    return dict(found)


PERMISSION_PREDICATES = {"has_role", "is_supervisor", "is_admin", "oversees_everything", "active_roles"}


def permission_calls(relpath: str, source: str) -> dict[tuple[str, str, str], list[int]]:
    """(file, function, predicate) -> lines, for role predicates called outside policy modules."""
    path = pathlib.PurePosixPath(relpath)
    if path.name == "policy.py" or "policy" in path.parts[:-1] or path.parts[0] == "tests":
        return {}
    found: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for scope, name, call in _calls(relpath, source, PERMISSION_PREDICATES):
        found[(relpath, scope, name)].append(call.lineno)
    return dict(found)


WRAPPED = "__wrapped__"


def wrapped_uses(relpath: str, source: str) -> dict[tuple[str, int], list[int]]:
    """(file, line) for every occurrence, comments and strings included."""
    return {(relpath, n): [n] for n, line in enumerate(source.splitlines(), 1) if WRAPPED in line}


# --------------------------------------------------------------------------- the scan


def _is_views(relpath: str) -> bool:
    path = pathlib.PurePosixPath(relpath)
    return path.stem == "views" or path.stem.endswith("_views") or path.parent.name == "views"


def _is_actions(relpath: str) -> bool:
    path = pathlib.PurePosixPath(relpath)
    return path.stem == "actions" or path.parent.name == "actions"


def chinese_messages(relpath: str, source: str) -> dict[str, list[int]]:
    """Sentences (Chinese text ending in 。) written in a views or actions module: message -> lines."""
    if not (_is_views(relpath) or _is_actions(relpath)):
        return {}
    found: dict[str, list[int]] = defaultdict(list)
    for node in ast.walk(_tree(relpath, source)):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith("。")
                and any("\u4e00" <= c <= "\u9fff" for c in node.value)):
            found[node.value].append(node.lineno)
    return dict(found)


def refusals_said_twice(files) -> dict[tuple[str, str, str], list[int]]:
    """(views file, actions file, message) for each sentence a view writes out again after an action."""
    views = {p: chinese_messages(p, s) for p, s in files if _is_views(p)}
    actions = {p: chinese_messages(p, s) for p, s in files if _is_actions(p)}
    return {(view, action, message): lines for view, said in views.items() for message, lines in said.items()
            for action, raised in actions.items() if message in raised}


def sources(root: pathlib.Path, *tops: str):
    for top in tops:
        for path in sorted((root / top).rglob("*.py")):
            if path.resolve() != THIS_FILE:
                yield path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")


def scan(check, files) -> dict:
    """Run one checker over (relpath, source) pairs; keys carry the file, so they never collide."""
    found = {}
    for relpath, source in files:
        found.update(check(relpath, source))
    return found


def differences(found: dict, allowed: dict) -> list[str]:
    """What makes the rule fail: violations not in the allowlist, and allowlist entries with no violation."""
    problems = [f"new violation {key} at line(s) {lines}" for key, lines in sorted(found.items()) if key not in allowed]
    problems += [f"stale allowlist entry {key}: the violation is gone, delete the line" for key in sorted(allowed) if key not in found]
    return problems


@pytest.fixture(scope="module")
def package_sources():
    files = list(sources(ROOT, "govpub"))
    assert len(files) > 100 and any(p == "govpub/content/actions.py" for p, _ in files)  # not vacuous
    return files


def _assert_clean(found: dict, allowed: dict) -> None:
    problems = differences(found, allowed)
    assert not problems, "\n" + "\n".join(problems)


# --------------------------------------------------------------------------- the rules


def test_every_app_is_declared_in_layers(package_sources):
    apps = {app_of(p) for p, _ in package_sources}
    declared = {app for layer in LAYERS for app in layer}
    assert apps - declared == set(), "declare every app in govpub/layers.py"
    assert declared - apps == set(), "govpub/layers.py names an app that does not exist"


def test_apps_import_only_lower_layers(package_sources):
    _assert_clean(scan(backward_imports, package_sources), BACKWARD_IMPORTS)


def test_models_are_written_by_actions_and_engines(package_sources):
    _assert_clean(scan(model_writes, package_sources), MODEL_WRITES)


def test_writer_modules_exist_and_write():
    for relpath in WRITER_MODULES:
        path = ROOT / relpath
        assert path.exists(), f"WRITER_MODULES names {relpath}, which is gone"
        writes = [c for _, _, c in _calls(relpath, path.read_text(encoding="utf-8"), WRITE_METHODS) if _is_model_write(c)]
        assert writes, f"WRITER_MODULES names {relpath}, which writes no model any more"


def test_permissions_are_decided_in_policy_modules(package_sources):
    _assert_clean(scan(permission_calls, package_sources), PERMISSION_CALLS)


def test_nothing_reaches_through_wrapped():
    _assert_clean(scan(wrapped_uses, sources(ROOT, "govpub", "tests")), WRAPPED_USES)


def test_refusals_are_said_once(package_sources):
    _assert_clean(refusals_said_twice(package_sources), REFUSALS_SAID_TWICE)


# --------------------------------------------------------------------------- the checker checks itself
# A deliberate violation of each rule, fed through the same functions, must be reported.


def test_checker_catches_an_upward_import():
    source = "from govpub.review.models import Decision\nfrom ..web import paging\nimport govpub.ops.text\n"
    found = backward_imports("govpub/content/models.py", source)
    assert found == {("govpub/content/models.py", "review"): [1], ("govpub/content/models.py", "web"): [2]}
    peer = backward_imports("govpub/channels/models.py", "def f():\n    from govpub import lexicons\n")
    assert peer == {("govpub/channels/models.py", "lexicons"): [2]}  # peers in one layer are independent


def test_checker_refuses_an_undeclared_app():
    with pytest.raises(KeyError):
        backward_imports("govpub/newapp/views.py", "from govpub.content import models\n")


def test_checker_catches_a_model_write_outside_actions():
    source = (
        "def edit(request, item):\n"
        "    item.save(update_fields=['title'])\n"
        "    Item.objects.filter(pk=1).update(state='x')\n"
        "    Note.objects.create(text='')\n"
        "    item.attachments.all().delete()\n"
        "    Finding.objects.bulk_create([])\n"
        "    context.update(extra)\n"  # a dict
        "    document.save(buffer)\n"  # a file
        "    cache.delete(key)\n"  # a cache
    )
    found = model_writes("govpub/content/views.py", source)
    assert sorted(found) == [("govpub/content/views.py", "edit", m) for m in ("bulk_create", "create", "delete", "save", "update")]
    assert model_writes("govpub/content/actions.py", source) == {}
    engine = "def lease(pub):\n    pub.save()\n\n@transaction.atomic(durable=True)\ndef resend(pub, *, acting_user):\n    pub.save()\n"
    relpath = next(iter(WRITER_MODULES))
    assert model_writes(relpath, engine) == {(relpath, "resend", "save"): [6]}  # an action hiding in an engine
    assert model_writes("govpub/content/migrations/0009_x.py", source) == {}


def test_checker_catches_a_permission_decided_outside_policy():
    source = "class V:\n    def get(self, request):\n        if not orgs_policy.is_admin(request.user):\n            pass\n"
    assert permission_calls("govpub/publishing/views.py", source) == {("govpub/publishing/views.py", "V.get", "is_admin"): [3]}
    assert permission_calls("govpub/publishing/policy.py", source) == {}


def test_checker_catches_wrapped(tmp_path):
    (tmp_path / "govpub" / "x").mkdir(parents=True)
    (tmp_path / "govpub" / "x" / "actions.py").write_text("def f():\n    return g." + WRAPPED + "(1)\n")
    assert scan(wrapped_uses, sources(tmp_path, "govpub")) == {("govpub/x/actions.py", 2): [2]}


def test_checker_catches_a_refusal_said_in_the_view_and_again_in_the_action():
    action = 'def edit(item, *, acting_user):\n    require(ok, "您不能修改该稿件。")\n'
    view = 'def item_edit(request):\n    require(ok, "您不能修改该稿件。")\n    messages.success(request, "已保存。")\n'
    files = [("govpub/content/actions.py", action), ("govpub/content/views.py", view),
             ("govpub/content/forms.py", view)]  # forms and policies may say it: they are not the view
    assert refusals_said_twice(files) == {("govpub/content/views.py", "govpub/content/actions.py", "您不能修改该稿件。"): [2]}
    nested = [("govpub/supervision/actions/tickets.py", action), ("govpub/supervision/views/tickets.py", view)]
    assert len(refusals_said_twice(nested)) == 1


def test_allowlists_fail_on_new_and_on_stale_entries():
    found = {("a.py", "web"): [3]}
    _assert_clean(found, {("a.py", "web"): "debt"})
    assert len(differences(found, {})) == 1  # new
    assert len(differences({}, {("a.py", "web"): "debt"})) == 1  # stale
