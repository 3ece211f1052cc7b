"""Generic registry used by all plugin types (cleaners, featurizers, models, steps).

Plugins register themselves with a decorator:

    @CLEANERS.register("kelvin_to_celsius")
    def kelvin_to_celsius(df, cfg): ...
"""
from typing import Any, Callable, Dict, List


class RegistryError(KeyError):
    pass


class Registry:
    def __init__(self, kind: str):
        self.kind = kind
        self._items: Dict[str, Callable[..., Any]] = {}

    def register(self, name: str) -> Callable:
        def decorator(obj):
            if name in self._items:
                raise RegistryError(f"{self.kind} '{name}' already registered")
            self._items[name] = obj
            return obj
        return decorator

    def get(self, name: str) -> Callable[..., Any]:
        try:
            return self._items[name]
        except KeyError:
            raise RegistryError(f"unknown {self.kind} '{name}', known: {self.names()}")

    def names(self) -> List[str]:
        return sorted(self._items)

    def __contains__(self, name: str) -> bool:
        return name in self._items

    def __repr__(self) -> str:
        return f"<Registry {self.kind}: {self.names()}>"


CLEANERS = Registry("cleaner")
FEATURIZERS = Registry("featurizer")
MODELS = Registry("model")
STEPS = Registry("step")
METRICS = Registry("metric")
