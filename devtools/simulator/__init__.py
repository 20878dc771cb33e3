"""OpenAI-compatible LLM simulator for tests and the demo (standard library only)."""

from .server import SimulatorServer, start_simulator

__all__ = ["SimulatorServer", "start_simulator"]
