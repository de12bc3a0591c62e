"""Access-token signing and checking with PyJWT."""

from project.adapters.jwt.codec import JwtAccessTokenCodec

__all__ = ["JwtAccessTokenCodec"]
