"""``Figure``: a Plotly figure kept as the plain dict it was built from.

Building a ``plotly.graph_objects.Figure`` validates every property of every
trace and frame; for an animated path figure that is most of a rerun's server
time, and Streamlit then copies the whole figure again in ``to_dict`` before
it serialises it. A ``Figure`` skips both: ``to_dict`` hands over the dict as it
was built (arrays already base64-encoded, as Plotly's own ``to_dict`` does), so
``st.plotly_chart`` serialises it straight away. Anything else (``fig.data``, …)
first turns it into an ordinary validated figure, in place, so tests and the odd
touch-up keep Plotly's full API.

Nothing a figure is built from is ever changed by it: ``update_layout`` and
``update_traces`` copy each nested dict they merge into (the shared default
template, a theme's font), and ``to_dict`` encodes arrays into new containers.
Sessions build figures from the same constants and the same cached arrays; one
student's touch-up must never show on another student's chart.
"""

from __future__ import annotations

import base64
from functools import cache

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import plotlyjsShortTypes, to_typed_array_spec


@cache
def default_template() -> dict:
    """Plotly's default template as a plain dict (read once; never modified)."""
    return pio.templates[pio.templates.default].to_plotly_json()


class Figure(go.Figure):
    """``Figure(spec)`` with ``spec = {"data": […], "layout": {…}, "frames": […]}``, unvalidated until touched."""

    def __init__(self, spec: dict):  # deliberately not go.Figure.__init__: see the module's docstring
        spec = {**spec, "layout": dict(spec.get("layout") or {})}  # our own top level: the caller's stays as it was
        if "template" not in spec["layout"]:  # what go.Figure would add: the same look as a validated figure
            spec["layout"]["template"] = default_template()
        object.__setattr__(self, "_spec", spec)
        object.__setattr__(self, "_encoded", None)

    def to_dict(self) -> dict:
        spec = self.__dict__.get("_spec")
        if spec is None:
            return super().to_dict()
        if self.__dict__["_encoded"] is None:  # once: a figure is drawn, exported and presented from one encoding
            object.__setattr__(self, "_encoded", _encoded(spec))
        return self.__dict__["_encoded"]

    def to_plotly_json(self) -> dict:
        return self.to_dict()

    def update_layout(self, dict1: dict | None = None, **changes):
        """Merge ``changes`` into the layout, as Plotly does (nested dicts merge, the rest replaces).

        Plotly's ``a_b=…`` shorthand needs its validators: spell the nesting out instead.
        """
        spec = self.__dict__.get("_spec")
        if spec is None:
            return super().update_layout(dict1, **changes)
        spec["layout"] = _merged(spec["layout"], {**(dict1 or {}), **changes})
        object.__setattr__(self, "_encoded", None)
        return self

    def update_traces(self, patch: dict | None = None, **changes):
        """Merge ``changes`` into every trace (no selector: select when building instead)."""
        spec = self.__dict__.get("_spec")
        if spec is None:
            return super().update_traces(patch, **changes)
        spec["data"] = [_merged(trace, {**(patch or {}), **changes}) for trace in spec.get("data", [])]
        object.__setattr__(self, "_encoded", None)
        return self

    def append_traces(self, traces: list[dict]):
        """Add ``traces`` after the figure's own (a new data list: the animation's trace indices stay valid)."""
        spec = self.__dict__.get("_spec")
        if spec is None:
            self.add_traces(traces)
            return self
        spec["data"] = [*spec.get("data", []), *traces]
        object.__setattr__(self, "_encoded", None)
        return self

    def __getattr__(self, name: str):
        # Reached only for what a plain instance lacks: become a real figure, then answer.
        spec = self.__dict__.pop("_spec", None)
        if spec is None:
            raise AttributeError(name)
        self.__dict__.pop("_encoded", None)
        go.Figure.__init__(self, _arrays(_encoded(spec)))
        return getattr(self, name)


def _merged(target: dict, changes: dict) -> dict:
    """``target`` with ``changes`` merged in as Plotly merges (nested dicts merge, the rest replaces), as a new
    dict: ``target`` and every dict inside it stay as they were."""
    out = dict(target)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


_PLAIN_KEYS = frozenset({"geojson", "layer", "layers", "range"})  # plotly.js wants these as plain lists


def _encoded(value):
    """``value`` with every NumPy array inside replaced by Plotly's base64 spec, in new containers where
    something changed (the rest is shared, unchanged: nothing it was given is modified).

    Plotly's own ``convert_to_base64`` visits every number of every list; frames hold
    thousands of plain floats, so this walk only enters dicts and lists of containers.
    """
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list) and value and isinstance(value[0], (dict, list)):
        items = enumerate(value)
    else:
        return value
    out = None
    for key, item in items:
        if key in _PLAIN_KEYS:
            continue
        if isinstance(item, np.ndarray):
            new = _typed_array(item) if item.dtype.kind in "biuf" else item
        elif isinstance(item, (dict, list)):
            new = _encoded(item)
        else:
            continue
        if new is not item:
            if out is None:
                out = dict(value) if isinstance(value, dict) else list(value)
            out[key] = new
    return value if out is None else out


def _typed_array(arr: np.ndarray):
    """``to_typed_array_spec(arr)``, the same dict, without its detour through narwhals (about 0.3 ms an array,
    most of a step's encoding on pages that send a hundred small arrays): float and 8-to-32-bit integer arrays
    in native byte order are encoded here; anything else (bool, int64, empty, …) still goes to Plotly."""
    short = _SHORT_TYPES.get(arr.dtype.str)
    if short is None or arr.size == 0:
        return to_typed_array_spec(arr)
    spec = {"dtype": short, "bdata": base64.b64encode(np.ascontiguousarray(arr)).decode("ascii")}
    if arr.ndim > 1:
        spec["shape"] = str(arr.shape)[1:-1]
    return spec


# NumPy's dtype.str (native little-endian or byte-order-free) -> plotly.js's short name, as Plotly spells them
_SHORT_TYPES = {np.dtype(name).str: short for name, short in plotlyjsShortTypes.items()
                if name not in ("int64", "uint64") and np.dtype(name).byteorder in "=|"}


def _arrays(value):
    """``value`` with every base64 array spec (``{"dtype": …, "bdata": …}``) decoded back to NumPy."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            return arr.reshape([int(n) for n in str(value["shape"]).split(",")]) if "shape" in value else arr
        return {k: _arrays(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_arrays(v) for v in value]
    return value
