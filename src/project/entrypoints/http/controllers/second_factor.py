"""The caller's TOTP second factor (S7): status, enrol (start, confirm), turn off, new codes.

Open during enrolment: a session that must enrol before anything else reaches these routes.
"""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from project.domain.model.context import Context
from project.domain.model.principal import Principal
from project.domain.services.second_factor import SecondFactorService
from project.entrypoints.http.authentication import ENROLMENT_KEY
from project.entrypoints.http.schemas.second_factor import (
    ConfirmTotp,
    DisableTotp,
    RecoveryCodesOut,
    RegenerateRecoveryCodes,
    TotpEnrolmentOut,
    TotpStatusOut,
)


class SecondFactorController(Controller):
    path = "/api/v1/me/totp"
    tags = ["account"]
    opt = {ENROLMENT_KEY: True}

    @get("/")
    async def status(
        self,
        mfa: NamedDependency[SecondFactorService],
        principal: NamedDependency[Principal],
    ) -> TotpStatusOut:
        return TotpStatusOut.of(await mfa.status(principal))

    @post("/start", status_code=201)
    async def start(
        self,
        mfa: NamedDependency[SecondFactorService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> TotpEnrolmentOut:
        return TotpEnrolmentOut.of(await mfa.start(principal, ctx=ctx))

    @post("/confirm", status_code=200)
    async def confirm(
        self,
        data: JSONBody[ConfirmTotp],
        mfa: NamedDependency[SecondFactorService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> RecoveryCodesOut:
        codes = await mfa.confirm(principal, data.code, ctx=ctx)
        return RecoveryCodesOut(recovery_codes=codes)

    @post("/disable", status_code=204)
    async def disable(
        self,
        data: JSONBody[DisableTotp],
        mfa: NamedDependency[SecondFactorService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> None:
        await mfa.disable(principal, data.password, data.code, ctx=ctx)

    @post("/recovery-codes", status_code=200)
    async def regenerate_recovery_codes(
        self,
        data: JSONBody[RegenerateRecoveryCodes],
        mfa: NamedDependency[SecondFactorService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> RecoveryCodesOut:
        codes = await mfa.regenerate_recovery_codes(principal, data.code, ctx=ctx)
        return RecoveryCodesOut(recovery_codes=codes)
