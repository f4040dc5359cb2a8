"""Form fields the blueprints' forms share: whole numbers typed in ASCII digits."""

from __future__ import annotations

from wtforms import IntegerField


def ascii_int(value) -> int:
    """A whole number written in ASCII digits (int() would also read other scripts' digits)."""
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not (text.isascii() and text.isdecimal() and len(text) <= 9):
        raise ValueError("not a whole number in ASCII digits")
    return int(text)


class WholeNumberField(IntegerField):
    """A whole number in ASCII digits; anything else gets the field's own message."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                ascii_int(valuelist[0])
            except ValueError:
                self.data = None
                raise ValueError(self.invalid_value_message
                                 or self.gettext("Not a valid integer value.")) from None
        super().process_formdata(valuelist)
