"""Time and identity from the operating system."""

from project.adapters.system.clock import SystemClock
from project.adapters.system.ids import Uuid7Generator

__all__ = ["SystemClock", "Uuid7Generator"]
