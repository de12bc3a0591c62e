"""Background jobs on Redis through SAQ: the production job queue and worker (SPEC 3.7)."""

from project.adapters.saq.queue import SaqJobQueue
from project.adapters.saq.worker import SaqJobWorker

__all__ = ["SaqJobQueue", "SaqJobWorker"]
