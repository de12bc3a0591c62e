"""Adapters on S3 (AWS or an S3-compatible server) through aioboto3."""

from project.adapters.s3.blob_store import S3BlobStore
from project.adapters.s3.lazy import LazyS3BlobStore

__all__ = ["LazyS3BlobStore", "S3BlobStore"]
