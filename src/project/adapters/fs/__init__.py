"""Adapters on the local filesystem."""

from project.adapters.fs._signed_urls import ServesSignedUrls, UrlSigner
from project.adapters.fs.blob_store import LocalDirectoryBlobStore
from project.adapters.fs.outbox_mailer import OutboxMailer

__all__ = ["LocalDirectoryBlobStore", "OutboxMailer", "ServesSignedUrls", "UrlSigner"]
