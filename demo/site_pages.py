"""Petit Four's information pages (about, FAQ, delivery, terms, privacy), contact page and
landing pages (weddings, gift boxes)."""

from demo.helpers import block, child, h2, image, img_value, link, rich
from home.models import LandingPage, StandardPage
from marketing.models import ContactPage


def build_pages(home) -> dict:
    """Create (once) the pages under ``home``; returns them by name."""
    # -- information pages --------------------------------------------------------------------
    about, _ = child(
        home,
        StandardPage,
        "about",
        title="About us",
        show_in_menus=True,
        intro="A small pastry shop and baking school in the Croix-Rousse, Lyon, since 2014.",
        search_description="Who we are: a family pastry shop and baking school in Lyon.",
        body=[
            block("image", img_value("Our shop", "Our shop on rue d'Austerlitz, Lyon", "wide")),
            h2("Butter, eggs, patience"),
            block(
                "paragraph",
                rich(
                    "Petit Four started as a market stall with three flavours of macarons. Today our "
                    "kitchen of six pastry chefs bakes every morning, with flour from the Dombes, "
                    "butter from Bresse and fruit from the farms around Lyon.",
                    "We make everything by hand, in small batches, and we never freeze a shell.",
                ),
            ),
            block(
                "quote",
                {
                    "quote": "A good macaron is crisp for a second, then melts. Everything "
                    "else is detail — and we care about the details.",
                    "attribution": "Camille Roux, founder and head pastry chef",
                },
            ),
            h2("A school as well as a shop"),
            block(
                "paragraph",
                rich(
                    "On Tuesday and Saturday afternoons the kitchen becomes a classroom. Our teachers "
                    "share the techniques we use every day, from choux pastry to wedding cakes."
                ),
            ),
        ],
    )
    faq, _ = child(
        home,
        StandardPage,
        "faq",
        title="FAQ",
        intro="Everything you asked us about orders, allergies, delivery and classes.",
        body=[
            block(
                "faq",
                {
                    "heading": "",
                    "items": [
                        {
                            "question": "How long do macarons keep?",
                            "answer": rich(
                                "Five days in the fridge in their box. Take them out 20 minutes before "
                                "eating: they taste best at room temperature."
                            ),
                        },
                        {
                            "question": "Do you make gluten-free pastries?",
                            "answer": rich(
                                "Our macarons are made with almond flour and contain no wheat, but they "
                                "are made in a kitchen that uses flour. Ask us about traces."
                            ),
                        },
                        {
                            "question": "How far ahead should I order a wedding cake?",
                            "answer": rich(
                                "At least six weeks, and three months in June and September. A tasting "
                                "session is included."
                            ),
                        },
                        {
                            "question": "Do you deliver?",
                            "answer": rich(
                                "Yes, in Lyon and its suburbs on Tuesdays to Saturdays. Gift boxes ship "
                                'to all of France. See <a href="/delivery-returns/">Delivery &amp; '
                                "returns</a>."
                            ),
                        },
                        {
                            "question": "Can I give a class as a present?",
                            "answer": rich("Of course: gift vouchers are valid for a year for any class."),
                        },
                        {
                            "question": "What if I cannot come to my class?",
                            "answer": rich("Tell us at least 72 hours before and we move you to another date."),
                        },
                    ],
                },
            )
        ],
    )
    delivery, _ = child(
        home,
        StandardPage,
        "delivery-returns",
        title="Delivery & returns",
        intro="Fresh pastries travel carefully: here is how we deliver them.",
        body=[
            h2("Click & collect"),
            block(
                "paragraph",
                rich(
                    "Collect your order at the shop from 10:00 on the day you "
                    "choose. Bring your order reference (it starts with PF-)."
                ),
            ),
            h2("Delivery in Lyon"),
            block(
                "paragraph",
                rich(
                    "Tuesday to Saturday, between 10:00 and 18:00, by cargo "
                    "bike. Orders placed before 18:00 are delivered the next day."
                ),
            ),
            h2("Shipping in France"),
            block(
                "paragraph",
                rich(
                    "Gift boxes and e-books only. Boxes ship on Mondays and "
                    "Wednesdays in insulated packaging and arrive within 48 hours."
                ),
            ),
            h2("Returns"),
            block(
                "paragraph",
                rich(
                    "Fresh food cannot be returned, but if something is not "
                    "right, write to us within 24 hours with a photo and we will "
                    "replace or refund it."
                ),
            ),
        ],
    )
    terms, _ = child(
        home,
        StandardPage,
        "terms",
        title="Terms of sale",
        intro="The terms that apply to every order placed at Petit Four.",
        body=[
            block(
                "paragraph",
                rich(
                    "<h2>Orders</h2>",
                    "An order is confirmed when payment is received. Prices include French VAT.",
                    "<h2>Classes</h2>",
                    "A class seat is reserved when paid. Cancellations up to 72 hours before the class are "
                    "moved to another date or refunded.",
                    "<h2>Digital products</h2>",
                    "E-books can be downloaded five times within a year of purchase.",
                ),
            )
        ],
    )
    privacy, _ = child(
        home,
        StandardPage,
        "privacy",
        title="Privacy policy",
        intro="What we keep about you, why, and for how long.",
        body=[
            block(
                "paragraph",
                rich(
                    "We keep your name, email address, postal address and order history to deliver your "
                    "orders and classes, for as long as the law requires (ten years for invoices).",
                    "We send our newsletter only if you ask for it, and every email has an unsubscribe "
                    "link. Payments are handled by Stripe; we never see your card number.",
                    "Write to hello@petitfour.example to see, correct or delete your data.",
                ),
            )
        ],
    )

    # -- landing pages --------------------------------------------------------------------------
    contact, _ = child(
        home,
        ContactPage,
        "contact",
        title="Contact",
        show_in_menus=True,
        intro=rich(
            "A question about an order, a cake for a special day, a class for a group? "
            "Write to us, we answer within one working day."
        ),
        thank_you_text=rich("Thank you for your message! We will get back to you within one working day."),
        subject="New message from the Petit Four website",
        form_fields=[
            {"label": "Your name", "field_type": "singleline", "required": True},
            {"label": "Email", "field_type": "email", "required": True},
            {"label": "Message", "field_type": "multiline", "required": True},
        ],
    )
    weddings, _ = child(
        home,
        LandingPage,
        "wedding-cakes",
        title="Wedding cakes",
        show_in_menus=True,
        search_description="Wedding cakes and dessert tables made to order in Lyon.",
        body=[
            block(
                "hero",
                {
                    "image": image("Wedding cake").pk,
                    "heading": "Wedding cakes, made for your day",
                    "text": "Tiered cakes, macaron towers and dessert tables, designed "
                    "with you and delivered to your venue.",
                    "link": link(contact, label="Book a tasting"),
                },
            ),
            block(
                "paragraph",
                rich(
                    "Every wedding cake starts with a tasting at the shop: choose two sponges, "
                    "three fillings and a decoration, and we draw your cake with you."
                ),
            ),
            block(
                "gallery",
                {
                    "heading": "Recent creations",
                    "images": [
                        img_value("Wedding cake", "Pistachio and raspberry, three tiers"),
                        img_value("Rose wedding cake", "Rose and lychee, for 80 guests"),
                        img_value("Macaron tower", "A tower of 200 macarons"),
                        img_value("Berry tart", "Summer berry tarts for a dessert table"),
                    ],
                },
            ),
            block(
                "faq",
                {
                    "heading": "Good to know",
                    "items": [
                        {
                            "question": "How many guests can a cake serve?",
                            "answer": rich("From 20 to 250. Above that we add a dessert table."),
                        },
                        {
                            "question": "Do you deliver to the venue?",
                            "answer": rich("Yes, within 60 km of Lyon, and we set the cake up."),
                        },
                    ],
                },
            ),
            block(
                "call_to_action",
                {
                    "heading": "Let's talk about your cake",
                    "text": "Tastings on Wednesdays and Fridays, by appointment.",
                    "link": link(contact, label="Book a tasting"),
                    "style": "raspberry",
                },
            ),
        ],
    )
    gifts, _ = child(
        home,
        LandingPage,
        "gift-boxes",
        title="Gift boxes",
        search_description="Macaron and pastry gift boxes, delivered in Lyon and shipped in France.",
        body=[
            block(
                "hero",
                {
                    "image": image("Gift box").pk,
                    "heading": "A box of little joys",
                    "text": "Macarons, financiers and pâtes de fruits in a box that is a "
                    "gift in itself. Delivered in Lyon, shipped all over France.",
                    "link": link(contact, label="Order a custom box"),
                },
            ),
            block(
                "card_grid",
                {
                    "heading": "Pick your box",
                    "cards": [
                        {
                            "page": about.pk,
                            "title": "The Classic, 12 macarons",
                            "text": "Our six signature flavours, two of each.",
                            "image": image("Gift box").pk,
                        },
                        {
                            "page": about.pk,
                            "title": "The Garden, 24 macarons",
                            "text": "Pistachio, rose, lemon and seasonal fruit.",
                            "image": image("Pistachio gift box").pk,
                        },
                        {
                            "page": contact.pk,
                            "title": "Made to order",
                            "text": "Your colours, your flavours, your message.",
                            "image": image("Butter macarons").pk,
                        },
                    ],
                },
            ),
            block(
                "quote",
                {
                    "quote": "The prettiest box I have ever given — and empty in ten minutes.",
                    "attribution": "Léa, a happy customer",
                },
            ),
            block(
                "opening_hours",
                {"heading": "Collect at the shop", "rows": [], "note": "Order by 18:00, collect the next day."},
            ),
            block(
                "call_to_action",
                {
                    "heading": "Corporate gifts",
                    "text": "Boxes with your logo for clients and teams, from 20 boxes.",
                    "link": link(contact, label="Ask for a quote"),
                    "style": "butter",
                },
            ),
        ],
    )
    return {
        "about": about,
        "faq": faq,
        "delivery": delivery,
        "terms": terms,
        "privacy": privacy,
        "contact": contact,
        "weddings": weddings,
        "gifts": gifts,
    }
