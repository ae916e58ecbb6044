"""Whose public holidays count as days off: a country and region, as ``holidays`` names them."""

from __future__ import annotations

from pydantic import Field, model_validator

from bot.config.base import _Strict


class PublicHolidays(_Strict):
    """Whose public holidays are days off: a country (ISO code, e.g. DE) and optionally a
    region within it (e.g. BY for Bavaria), as the ``holidays`` package names them."""

    country: str = Field(min_length=2, max_length=3)
    region: str | None = None

    @model_validator(mode="after")
    def _known(self) -> PublicHolidays:
        import holidays

        supported = holidays.list_supported_countries()
        if self.country not in supported:
            raise ValueError(f"unknown country {self.country!r}; use an ISO code such as DE or US")
        regions = supported[self.country]
        if self.region is not None and self.region not in regions:
            known = ", ".join(regions[:12]) + (", …" if len(regions) > 12 else "")
            raise ValueError(f"unknown region {self.region!r} of {self.country}; known: {known}")
        return self
