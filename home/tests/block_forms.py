"""Form data for StreamField blocks, as the Wagtail admin's block editor posts it.

:func:`form_data` turns a block and a value (e.g. ``block.get_default()``) into the nested
dict that ``wagtail.test.utils.form_data.nested_form_data`` flattens into POST fields:
StreamBlock ``prefix-count`` / ``prefix-N-type|value|deleted|order|id``, ListBlock
``prefix-count`` / ``prefix-N-value|deleted|order|id``, StructBlock ``prefix-child``, and each
field block's widget value (choosers post the chosen object's id, checkboxes "on" or nothing,
rich text Draftail's contentstate JSON).
"""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock
from wagtail.test.utils.form_data import rich_text


def listblock(items: list) -> dict:
    """ListBlock form data from the form data of each item."""
    data = {str(i): {"value": value, "deleted": "", "order": str(i), "id": ""} for i, value in enumerate(items)}
    data["count"] = str(len(items))
    return data


def streamblock(items: list[tuple[str, object]]) -> dict:
    """StreamBlock form data from ``(block name, form data)`` pairs."""
    data = {
        str(i): {"type": name, "value": value, "deleted": "", "order": str(i), "id": ""}
        for i, (name, value) in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def form_data(block, value):
    """The admin form's data for ``value`` of ``block`` (see the module docstring)."""
    if isinstance(block, ImageBlock):
        return {
            "image": value.pk if value else "",
            "decorative": "on" if getattr(value, "decorative", False) else "",
            "alt_text": getattr(value, "contextual_alt_text", "") or "",
        }
    if isinstance(block, blocks.StreamBlock):
        return streamblock([(child.block_type, form_data(child.block, child.value)) for child in value])
    if isinstance(block, blocks.ListBlock):
        return listblock([form_data(block.child_block, item) for item in value])
    if isinstance(block, blocks.StructBlock):
        return {name: form_data(child, value.get(name)) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.RichTextBlock):
        return rich_text(value.source if value else "")
    if isinstance(block, blocks.ChooserBlock):
        return value.pk if value else ""
    if isinstance(block, blocks.BooleanBlock):
        return "on" if value else ""
    if isinstance(block, blocks.FieldBlock):
        prepared = block.value_for_form(value)
        return "" if prepared is None else str(prepared)
    raise TypeError(f"no form data for {type(block).__name__}")
