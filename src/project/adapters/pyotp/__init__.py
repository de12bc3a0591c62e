"""TOTP arithmetic (RFC 6238) with PyOTP."""

from project.adapters.pyotp.totp import PyotpOneTimePasswords

__all__ = ["PyotpOneTimePasswords"]
