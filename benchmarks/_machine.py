"""Facts about the machine and CPU seconds of processes, from /proc (Linux)."""

from __future__ import annotations

import os
import platform
import resource
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return 0.0


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a live process (all its threads); 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def reaped_cpu(pid: int) -> tuple[int, float]:
    """(parent pid, CPU seconds of the children that `pid` has waited for) of a live process:
    the CPU of processes that exited, such as PostgreSQL backends of closed connections,
    which their parent (the postmaster) reaped; (0, 0.0) when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0, 0.0
    return int(fields[1]), (int(fields[13]) + int(fields[14])) / CLOCK_TICKS


def thread_cpu(pid: int, tid: int) -> float:
    """User + system CPU seconds of one thread of a live process (the main thread: tid = pid,
    where uvicorn runs its event loop); 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def process_tree_cpu(pid: int) -> float:
    """CPU seconds of a live process and of its live descendants (a server's worker processes:
    granian always runs its workers as children, uvicorn does with --workers above 1)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(entry.name)] = int(fields[1])
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, of in parents.items() if of == parent and child not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(process_cpu(member) for member in tree)


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(values[:8])  # guest time is already counted in user
    idle = values[3] + values[4]
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


def steal_cpu() -> float:
    """CPU seconds since boot that a hypervisor gave this virtual machine's CPUs to other
    guests ("steal" in /proc/stat): charged to no process here, counted busy by machine_cpu."""
    return int(Path("/proc/stat").read_text().split("\n", 1)[0].split()[8]) / CLOCK_TICKS


def pids(match: Callable[[str], bool]) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if match(cmdline):
            found.append(int(entry.name))
    return found


def children_cpu() -> float:
    """CPU seconds of this process's children that have been waited for (wrk runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class CpuSnapshot:
    server: float
    database: dict[int, float]
    load_generator: float
    machine_busy: float
    machine_total: float


def snapshot(server_pid: int, database: str) -> CpuSnapshot:
    needle = f" {database} "
    backends = pids(lambda cmd: cmd.startswith("postgres:") and needle in cmd)
    busy, total = machine_cpu()
    return CpuSnapshot(
        server=process_tree_cpu(server_pid),
        database={pid: process_cpu(pid) for pid in backends},
        load_generator=children_cpu(),
        machine_busy=busy,
        machine_total=total,
    )


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds spent between two snapshots, by part."""

    server: float
    database: float
    load_generator: float
    others: float
    wall: float  # machine_total / cores: the elapsed time the counters saw

    def as_dict(self) -> dict[str, float]:
        return {
            "server_cpu_s": round(self.server, 3),
            "database_cpu_s": round(self.database, 3),
            "load_generator_cpu_s": round(self.load_generator, 3),
            "other_processes_cpu_s": round(self.others, 3),
            "elapsed_s": round(self.wall, 3),
        }


def used(before: CpuSnapshot, after: CpuSnapshot, cores: int) -> CpuUse:
    server = after.server - before.server
    database = sum(cpu - before.database.get(pid, 0.0) for pid, cpu in after.database.items())
    load_generator = after.load_generator - before.load_generator
    busy = after.machine_busy - before.machine_busy
    others = max(0.0, busy - server - database - load_generator)
    wall = (after.machine_total - before.machine_total) / max(cores, 1)
    return CpuUse(server, database, load_generator, others, wall)
