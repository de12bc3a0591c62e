"""In-process adapters: the embedded defaults and the fakes the unit tests use."""

from project.adapters.memory.uow import InMemoryUnitOfWork, InMemoryUnitOfWorkFactory

__all__ = ["InMemoryUnitOfWork", "InMemoryUnitOfWorkFactory"]
