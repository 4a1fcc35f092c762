"""The POST data a browser sends from a page's edit form, for preview tests.

Wagtail's ``querydict_from_html`` reads the edit view's plain inputs (title, slug, inline
formsets, choosers), but StreamFields are drawn by JavaScript: their inputs (``body-count``,
``body-0-type``, ``body-0-value-…``) exist only in a browser. :func:`page_form_data` adds them,
encoding the page's StreamField values the way Wagtail's block widgets do, so
``value_from_datadict`` reads back the same blocks.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.test.utils.form_data import querydict_from_html


def encode_block(block, value, prefix: str, data) -> None:
    """Write ``value`` of ``block`` into ``data`` (a mutable QueryDict) under ``prefix``."""
    if isinstance(block, blocks.StreamBlock):
        children = list(value or [])
        data[f"{prefix}-count"] = str(len(children))
        for i, child in enumerate(children):
            p = f"{prefix}-{i}"
            data[f"{p}-type"], data[f"{p}-deleted"], data[f"{p}-order"] = child.block_type, "", str(i)
            data[f"{p}-id"] = child.id or ""
            encode_block(child.block, child.value, f"{p}-value", data)
    elif isinstance(block, blocks.ListBlock):
        children = list(getattr(value, "bound_blocks", None) or [])
        data[f"{prefix}-count"] = str(len(children))
        for i, child in enumerate(children):
            p = f"{prefix}-{i}"
            data[f"{p}-deleted"], data[f"{p}-order"], data[f"{p}-id"] = "", str(i), child.id or ""
            encode_block(block.child_block, child.value, f"{p}-value", data)
    elif isinstance(block, ImageBlock):  # a StructBlock whose value is the Image itself
        encode_block(blocks.StructBlock(block.child_blocks.items()), block._image_to_struct_value(value), prefix, data)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            encode_block(child_block, value.get(name) if value is not None else None, f"{prefix}-{name}", data)
    elif isinstance(block, blocks.ChooserBlock):  # page, image, document, snippet choosers: the id
        data[prefix] = str(getattr(value, "pk", value) or "") if value is not None else ""
    elif isinstance(block, blocks.FieldBlock):
        form_value = block.value_for_form(value)
        widget = block.field.widget
        if isinstance(widget, forms.CheckboxInput):
            if form_value:
                data[prefix] = "on"
        elif isinstance(form_value, list | tuple):
            data.setlist(prefix, [str(v) for v in form_value])
        else:
            formatted = widget.format_value(form_value)
            if isinstance(formatted, list):  # Select widgets format their value as a list
                data.setlist(prefix, [str(v) for v in formatted])
            else:
                data[prefix] = "" if formatted is None else str(formatted)
    # StaticBlock and friends take nothing from the form.


def page_form_data(client, page):
    """The edit form's data for ``page`` (a specific page), StreamFields included."""
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    for field in type(page)._meta.get_fields():
        if isinstance(field, StreamField):
            encode_block(field.stream_block, getattr(page, field.name), field.name, data)
    return data
