"""A candidate's accessibility for one session: text size, contrast, live captions, extra time.

These belong to the candidate, not to the kiosk: HR sets them when creating the session (they
travel in the session pack) and the invigilator may adjust them with the candidate before the
consent notice is shown (`SessionService.set_accessibility`), so each candidate gets their own
without restarting the kiosk. The window renders them; the rule of what is allowed lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiosk.domain.model import SessionSettings

#: Text sizes the kiosk offers (the layout is checked at each of them, 1024x768 to 1920x1080).
FONT_SCALES: tuple[float, ...] = (1.0, 1.25, 1.5, 1.75, 2.0)
MIN_FONT_SCALE, MAX_FONT_SCALE = FONT_SCALES[0], FONT_SCALES[-1]
MAX_EXTRA_TIME_PERCENT = 300


class AccessibilityError(ValueError):
    """A setting outside what the kiosk can honour; the message says the allowed range."""


@dataclass(frozen=True, slots=True)
class Accessibility:
    font_scale: float = 1.0
    high_contrast: bool = False
    captions: bool = True
    extra_time_percent: int = 0

    def __post_init__(self) -> None:
        if not MIN_FONT_SCALE <= self.font_scale <= MAX_FONT_SCALE:
            raise AccessibilityError(
                f"the text size must be from {MIN_FONT_SCALE:.0%} to {MAX_FONT_SCALE:.0%}, "
                f"not {self.font_scale:.0%}"
            )
        if not 0 <= self.extra_time_percent <= MAX_EXTRA_TIME_PERCENT:
            raise AccessibilityError(
                f"extra time must be from 0 to {MAX_EXTRA_TIME_PERCENT}%, "
                f"not {self.extra_time_percent}%"
            )

    @classmethod
    def of(cls, settings: SessionSettings) -> Accessibility:
        """The accessibility a session's settings ask for."""
        return cls(
            font_scale=settings.font_scale,
            high_contrast=settings.high_contrast,
            captions=settings.captions,
            extra_time_percent=settings.extra_time_percent,
        )

    def applied_to(self, settings: SessionSettings) -> SessionSettings:
        return replace(
            settings,
            font_scale=self.font_scale,
            high_contrast=self.high_contrast,
            captions=self.captions,
            extra_time_percent=self.extra_time_percent,
        )

    def settings(self) -> tuple[tuple[str, str], ...]:
        """Each setting and its value in words, as the invigilator and HR read them."""
        return (
            ("text size", f"{self.font_scale:.0%}"),
            ("contrast", "high" if self.high_contrast else "standard"),
            ("captions", "on" if self.captions else "off"),
            ("extra time", f"{self.extra_time_percent}%"),
        )

    def changes_from(self, before: Accessibility) -> tuple[str, ...]:
        """What differs from `before`, in words ("text size 150% (was 100%)"); () if nothing."""
        return tuple(
            f"{name} {now} (was {was})"
            for (name, now), (_, was) in zip(self.settings(), before.settings(), strict=True)
            if now != was
        )


__all__ = [
    "FONT_SCALES",
    "MAX_EXTRA_TIME_PERCENT",
    "MAX_FONT_SCALE",
    "MIN_FONT_SCALE",
    "Accessibility",
    "AccessibilityError",
]
