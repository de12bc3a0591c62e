"""A bookmark's archive: ask for it, and read the snapshot, text and images (SPEC 3.7, S24).

Files go out through short-lived signed URLs (a presigned S3 URL, or the app's own `/blobs`
route), so the stable URLs here redirect; the snapshot itself is never served from the API's
origin with the API's credentials.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from project.domain.model.ids import BookmarkId
from project.domain.model.principal import Principal
from project.entrypoints.http.openapi import problem_response
from project.entrypoints.http.schemas.archive import ArchiveJobOut, PageTextOut
from project.entrypoints.library import Project

_NOT_FOUND = {404: problem_response("No such bookmark, or nothing archived yet.")}


class ArchiveController(Controller):
    path = "/api/v1/bookmarks/{bookmark_id:uuid}"
    tags = ["archive"]

    @post(
        "/archive",
        status_code=202,
        summary="Archive the bookmark's page (again)",
        responses={**_NOT_FOUND, 429: problem_response("Too many archive requests.")},
    )
    async def request_archive(
        self,
        bookmark_id: FromPath[UUID],
        project: NamedDependency[Project],
        principal: NamedDependency[Principal],
    ) -> ArchiveJobOut:
        return ArchiveJobOut.of(await project.archive.request(principal, BookmarkId(bookmark_id)))

    @get(
        "/snapshot",
        summary="Redirect to the archived snapshot (a signed URL)",
        responses=_NOT_FOUND,
    )
    async def snapshot(
        self,
        bookmark_id: FromPath[UUID],
        project: NamedDependency[Project],
        principal: NamedDependency[Principal],
    ) -> Redirect:
        url = await project.archive.snapshot_url(principal, BookmarkId(bookmark_id))
        return Redirect(url, status_code=307)

    @get("/text", summary="The archived page's readable text", responses=_NOT_FOUND)
    async def text(
        self,
        bookmark_id: FromPath[UUID],
        project: NamedDependency[Project],
        principal: NamedDependency[Principal],
    ) -> PageTextOut:
        text = await project.archive.text(principal, BookmarkId(bookmark_id))
        return PageTextOut(bookmark_id=bookmark_id, text=text)

    @get("/preview", summary="Redirect to the preview thumbnail (WebP)", responses=_NOT_FOUND)
    async def preview(
        self,
        bookmark_id: FromPath[UUID],
        project: NamedDependency[Project],
        principal: NamedDependency[Principal],
    ) -> Redirect:
        url = await project.archive.image_url(principal, BookmarkId(bookmark_id), "preview")
        return Redirect(url, status_code=307)

    @get("/favicon", summary="Redirect to the favicon (WebP)", responses=_NOT_FOUND)
    async def favicon(
        self,
        bookmark_id: FromPath[UUID],
        project: NamedDependency[Project],
        principal: NamedDependency[Principal],
    ) -> Redirect:
        url = await project.archive.image_url(principal, BookmarkId(bookmark_id), "favicon")
        return Redirect(url, status_code=307)
