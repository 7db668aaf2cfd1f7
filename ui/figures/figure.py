"""``Figure``: a Plotly figure kept as the plain dict it was built from.

Building a ``plotly.graph_objects.Figure`` validates every property of every
trace and frame; for an animated path figure that is most of a rerun's server
time, and Streamlit then copies the whole figure again in ``to_dict`` before
it serialises it. A ``Figure`` skips both: ``to_dict`` hands over the dict as it
was built (arrays already base64-encoded, as Plotly's own ``to_dict`` does), so
``st.plotly_chart`` serialises it straight away. Anything else (``fig.data``,
``fig.update_layout``, …) first turns it into an ordinary validated figure, in
place, so tests and the odd touch-up keep Plotly's full API.
"""

from __future__ import annotations

import base64
from functools import cache

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import to_typed_array_spec


@cache
def default_template() -> dict:
    """Plotly's default template as a plain dict (read once; never modified)."""
    return pio.templates[pio.templates.default].to_plotly_json()


class Figure(go.Figure):
    """``Figure(spec)`` with ``spec = {"data": […], "layout": {…}, "frames": […]}``, unvalidated until touched."""

    def __init__(self, spec: dict):  # deliberately not go.Figure.__init__: see the module's docstring
        layout = spec.setdefault("layout", {})
        if "template" not in layout:  # what go.Figure would add: the same look as a validated figure
            layout["template"] = default_template()
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict:
        spec = self.__dict__.get("_spec")
        if spec is None:
            return super().to_dict()
        _encode_arrays(spec)  # in place, once: later calls find nothing left to convert
        return spec

    def to_plotly_json(self) -> dict:
        return self.to_dict()

    def update_layout(self, dict1: dict | None = None, **changes):
        """Merge ``changes`` into the layout, as Plotly does (nested dicts merge, the rest replaces).

        Plotly's ``a_b=…`` shorthand needs its validators: spell the nesting out instead.
        """
        spec = self.__dict__.get("_spec")
        if spec is None:
            return super().update_layout(dict1, **changes)
        _merge(spec["layout"], {**(dict1 or {}), **changes})
        return self

    def update_traces(self, patch: dict | None = None, **changes):
        """Merge ``changes`` into every trace (no selector: select when building instead)."""
        spec = self.__dict__.get("_spec")
        if spec is None:
            return super().update_traces(patch, **changes)
        for trace in spec["data"]:
            _merge(trace, {**(patch or {}), **changes})
        return self

    def __getattr__(self, name: str):
        # Reached only for what a plain instance lacks: become a real figure, then answer.
        spec = self.__dict__.pop("_spec", None)
        if spec is None:
            raise AttributeError(name)
        go.Figure.__init__(self, _arrays(spec))
        return getattr(self, name)


def _merge(target: dict, changes: dict) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


_PLAIN_KEYS = frozenset({"geojson", "layer", "layers", "range"})  # plotly.js wants these as plain lists


def _encode_arrays(value) -> None:
    """Replace every NumPy array inside ``value`` by Plotly's base64 spec, in place.

    Plotly's own ``convert_to_base64`` visits every number of every list; frames hold
    thousands of plain floats, so this walk only enters dicts and lists of containers.
    """
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if key in _PLAIN_KEYS:
            continue
        if isinstance(item, np.ndarray):
            if item.dtype.kind in "biuf":
                value[key] = to_typed_array_spec(item)
        elif isinstance(item, dict) or (isinstance(item, list) and item and isinstance(item[0], (dict, list))):
            _encode_arrays(item)


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
