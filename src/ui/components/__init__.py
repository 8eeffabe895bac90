"""The design system's building blocks: text, buttons, cards, the screen scaffold, controls and
the pieces that paint themselves. Every screen is made of these, so each looks, scales and
reads out the same way (accessible names, mnemonics, roles the style sheet styles)."""
