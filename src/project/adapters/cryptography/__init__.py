"""Sealing secrets the service must read back (AES-256-GCM, `cryptography`)."""

from project.adapters.cryptography.sealer import AesGcmSecretSealer

__all__ = ["AesGcmSecretSealer"]
