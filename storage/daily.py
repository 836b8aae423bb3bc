"""A teacher's one prompt of a local day: find it, or bring a planned one forward (``send now``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import col, select

from bot.core.model import Delivery
from storage.base import StoreBase, to_value
from storage.rows import DeliveryRow

LIVE = ("planned", "claimed", "sent")


class DailyStore(StoreBase):
    def live_delivery_on(self, person_id: int, local_date: date) -> Delivery | None:
        with self.session() as s:
            row = s.exec(
                select(DeliveryRow).where(
                    DeliveryRow.person_id == person_id,
                    DeliveryRow.local_date == local_date,
                    col(DeliveryRow.status).in_(LIVE),
                )
            ).first()
            return to_value(Delivery, row)

    def bring_forward(self, delivery_id: int, slot_utc: datetime) -> bool:
        """Move a still-planned delivery to ``slot_utc``; False once a worker has claimed it."""
        with self.session() as s:
            result = s.exec(  # type: ignore[call-overload]
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id, DeliveryRow.status == "planned")
                .values(slot_utc=slot_utc, next_attempt_at=None)
            )
            return (result.rowcount or 0) == 1
