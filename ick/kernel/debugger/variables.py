"""Values in the kernel: expressions evaluated in a frame, and variables listed.

debugpy files dunders, functions and classes in groups ("special variables",
"function variables"...): folders in JupyterLab's tree, not values.
"""

from __future__ import annotations

from typing import Any

from ick.debug_records import Evaluation, Variable, VariableListing
from ick.kernel.debugger.replies import cut_to, dict_entries, one_line, text_of, whole_number
from ick.kernel.debugger.stack import StackRequests
from ick.kernel.errors import DebuggerError

#: The groups debugpy lists among variables ("special variables" holds dunders,
#: "function variables" the functions...): folders in JupyterLab's tree, not values.
VARIABLE_GROUPS = frozenset(
    {"special variables", "function variables", "class variables", "protected variables"}
)


#: The groups whose members ``)vars NAME`` finds by name.
SEARCHED_GROUPS = frozenset({"function variables", "class variables"})


class VariableRequests(StackRequests):
    """pdb's ``p``, ``)vars`` and ``vars`` at the debug prompt, and a variable's items."""

    #: Characters of a value kept; debugpy already cuts containers to their first items.
    VALUE_LIMIT = 2000
    #: Variables kept from one listing.
    VARIABLE_LIMIT = 300

    async def evaluate(self, expression: str, *, timeout: float | None = None) -> Evaluation:
        """``expression`` evaluated in the current frame (pdb's ``p``); an expression that
        raises is an answer too, with its error.  ``timeout`` is for expressions known to
        be slow; ``None`` waits :attr:`REQUEST_TIMEOUT`."""
        frame = await self.current_frame()
        answer = await self._exchange(
            "evaluate",
            {"expression": expression, "frameId": frame.id, "context": "repl"},
            timeout or self.REQUEST_TIMEOUT,
        )
        if answer.get("success") is not True:
            return Evaluation(error=one_line(answer.get("message")) or "evaluation failed")
        body = answer.get("body")
        body = body if isinstance(body, dict) else {}
        result, cut = cut_to(text_of(body.get("result")), self.VALUE_LIMIT)
        return Evaluation(
            result=result,
            type=text_of(body.get("type")),
            result_cut=cut,
            reference=whole_number(body.get("variablesReference")) or 0,
        )

    # -- variables ---------------------------------------------------------------------
    async def global_variables(self) -> VariableListing:
        """The kernel's global variables, without the debugger's groups (``)vars``).

        Starts the session first if need be: xeus-python dies of an
        ``inspectVariables`` that comes before ``initialize``.
        """
        await self.start()
        return self._listing(await self._request("inspectVariables", {}))

    async def frame_variables(self) -> VariableListing:
        """The current frame's local variables (``vars`` at the debug prompt)."""
        scopes = await self._scope_references()
        return await self.children(scopes[0]) if scopes else VariableListing(variables=())

    async def _scope_references(self) -> list[int]:
        """The current frame's scopes, locals first (ipykernel and xeus-python mark them and
        send them first; Globals follow)."""
        frame = await self.current_frame()
        body = await self._request("scopes", {"frameId": frame.id})
        scopes = sorted(
            dict_entries(body.get("scopes")),
            key=lambda scope: scope.get("presentationHint") != "locals",
        )
        references = [whole_number(scope.get("variablesReference")) for scope in scopes]
        return [reference for reference in references if reference]

    async def children(self, reference: int) -> VariableListing:
        """The items or attributes of a variable (its :attr:`Variable.reference`).

        No ``count`` goes with the request: ipykernel ignores it, and xeus-python
        never answers one that asks for more than there is.  debugpy sends a
        container's first items only, and the listing is cut here again.
        """
        await self.start()
        return self._listing(await self._request("variables", {"variablesReference": reference}))

    async def variable(self, path: str) -> tuple[Variable, VariableListing]:
        """A variable by name, dotted through its children (``)vars NAME``), with its
        children (none when it has none)."""
        names = [name for name in path.strip().split(".") if name]
        if not names:
            raise DebuggerError("which variable?")
        if self.stop is None:
            await self.start()
            listings = [await self._request("inspectVariables", {})]
        else:  # the names the stopped frame sees, its locals first
            listings = [
                await self._request("variables", {"variablesReference": reference})
                for reference in await self._scope_references()
            ]
        found: Variable | None = None
        for depth, name in enumerate(names):
            found = await self._find(name, listings)
            shown = ".".join(names[: depth + 1])
            if found is None:
                raise DebuggerError(f"no variable named {shown}")
            if depth + 1 < len(names):
                if not found.expandable:
                    raise DebuggerError(f"{shown} has no items")
                listings = [
                    await self._request("variables", {"variablesReference": found.reference})
                ]
        assert found is not None
        if not found.expandable:
            return found, VariableListing(variables=())
        return found, await self.children(found.reference)

    async def _find(self, name: str, listings: list[dict[str, Any]]) -> Variable | None:
        """``name`` among the variables of ``listings``, else inside their function and
        class groups (where debugpy files functions and classes)."""
        groups: list[int] = []
        for listing in listings:
            for entry in dict_entries(listing.get("variables")):
                if entry.get("name") == name:
                    return self._variable(entry)
                reference = whole_number(entry.get("variablesReference"))
                if entry.get("name") in SEARCHED_GROUPS and reference:
                    groups.append(reference)
        for reference in groups:
            listing = await self._request("variables", {"variablesReference": reference})
            for entry in dict_entries(listing.get("variables")):
                if entry.get("name") == name:
                    return self._variable(entry)
        return None

    def _listing(self, body: dict[str, Any]) -> VariableListing:
        kept: list[Variable] = []
        for entry in dict_entries(body.get("variables")):
            name = text_of(entry.get("name"))
            if not name or name in VARIABLE_GROUPS:
                continue
            if len(kept) == self.VARIABLE_LIMIT:
                return VariableListing(variables=tuple(kept), cut=True)
            kept.append(self._variable(entry))
        return VariableListing(variables=tuple(kept))

    def _variable(self, entry: dict[str, Any]) -> Variable:
        value, cut = cut_to(text_of(entry.get("value")), self.VALUE_LIMIT)
        return Variable(
            name=text_of(entry.get("name")),
            type=text_of(entry.get("type")),
            value=value,
            value_cut=cut,
            reference=whole_number(entry.get("variablesReference")) or 0,
        )
